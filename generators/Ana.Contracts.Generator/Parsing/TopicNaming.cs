namespace Ana.Contracts.Generator.Parsing;

/// <summary>How a contract method's name becomes its topic when no <c>[AnaTopic]</c> is given.</summary>
internal static class TopicNaming
{
    private const string AsyncSuffix = "Async";

    /// <summary>
    /// The method name without a trailing <c>Async</c>, in snake_case: <c>GetStatusAsync</c> → <c>get_status</c>.
    /// A method named just <c>Async</c> keeps its name.
    /// </summary>
    public static string FromMethodName(string methodName)
    {
        string name = methodName.Length > AsyncSuffix.Length && methodName.EndsWith(AsyncSuffix, System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - AsyncSuffix.Length)
            : methodName;
        return JsonNaming.ToSeparated(name, '_', lowercase: true);
    }
}
