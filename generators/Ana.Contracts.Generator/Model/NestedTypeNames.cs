namespace Ana.Contracts.Generator.Model;

/// <summary>The names of the types the generator nests in a contract's interface.</summary>
internal static class NestedTypeNames
{
    public const string Client = "Client";

    public const string Dispatcher = "Dispatcher";

    public const string Registration = "Registration";

    public const string Arguments = "Arguments";

    /// <summary>Only for a contract whose JSON metadata comes from the user's own context.</summary>
    public const string JsonTypeInfos = "JsonTypeInfos";
}
