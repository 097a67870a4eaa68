using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator;

/// <summary>Every diagnostic of the contracts generator, with its stable ID. Documented in docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Ana.Contracts";
    private const string HelpLink = "https://github.com/ana-contracts/ana-contracts/blob/main/docs/diagnostics.md#{0}";

    public static readonly DiagnosticDescriptor ContractNotPartial = Error(
        "ANA001", "Contract interface is not partial", "The contract interface '{0}' must be declared partial");

    public static readonly DiagnosticDescriptor InvalidAgentName = Error(
        "ANA002", "Invalid agent name", "The agent name '{0}' of contract '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor InvalidTopic = Error(
        "ANA003", "Invalid topic", "The topic '{0}' of method '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor DuplicateTopic = Error(
        "ANA004", "Two methods map to one topic", "The methods '{0}' and '{1}' both map to the topic '{2}'; give one a topic of its own with [AnaTopic(\"...\")]");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "ANA005", "Unsupported return type", "The method '{0}' returns '{1}'; a contract method returns Task, Task<T>, ValueTask, ValueTask<T> or IAsyncEnumerable<T>");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error(
        "ANA006", "Unsupported parameter", "The parameter '{0}' of method '{1}' is not supported: {2}");

    public static readonly DiagnosticDescriptor TypeNotSerializable = Error(
        "ANA007", "Type cannot be serialized", "The type '{0}' used by '{1}' cannot be serialized by the generated JSON context: {2}");

    public static readonly DiagnosticDescriptor GenericMethod = Error(
        "ANA008", "Generic method in a contract", "The method '{0}' is generic; contract methods cannot have type parameters");

    public static readonly DiagnosticDescriptor NonMethodMember = Error(
        "ANA009", "Property, event or indexer in a contract", "The member '{0}' is not a method; a contract declares only methods");

    public static readonly DiagnosticDescriptor ContractNestingNotSupported = Error(
        "ANA010", "Contract is generic, not accessible, or nested in a non-partial or generic type", "The contract '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor OneWayReturnsValue = Error(
        "ANA011", "[AnaOneWay] on a method that returns a value", "The one-way method '{0}' returns a value; a one-way method returns Task or ValueTask");

    public static readonly DiagnosticDescriptor InvalidTimeout = Error(
        "ANA012", "Invalid timeout", "The timeout {0} of '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor InvalidJsonContext = Error(
        "ANA013", "Invalid JSON context", "The JSON context '{0}' of contract '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor NameTooLong = Error(
        "ANA014", "Agent name or topic too long", "The {0} '{1}' of '{2}' is {3} bytes long in UTF-8; {4} is at most {5} bytes");

    public static readonly DiagnosticDescriptor DefaultLostWhenAbsent = new(
        "ANA015",
        "The default of an init member of a generic type is lost when absent",
        "The default of '{0}' (used by '{1}', member path '{2}') is lost when it is absent from the JSON: init members of generic types are set through the object initializer, so an absent one gets its type's default; make it a constructor parameter with a default value, give it a setter, or use a non-generic type",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "ana015"));

    public static readonly DiagnosticDescriptor DiscriminatorClash = Error(
        "ANA016", "Type discriminator clashes with a property", "The type discriminator '{0}' of the polymorphic type '{1}' used by '{2}' is also the JSON name of the property '{3}' of '{4}'; rename one of them");

    public static readonly DiagnosticDescriptor UserContextConventions = new(
        "ANA017",
        "JSON context does not follow the contract's wire conventions",
        "The JSON context '{0}' of contract '{1}' changes the contract's wire format: {2}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "ana017"));

    public static readonly DiagnosticDescriptor OneWayStream = Error(
        "ANA018", "[AnaOneWay] on a streaming method", "The method '{0}' streams its results (IAsyncEnumerable<T>) and cannot be one-way: a stream is read by its caller");

    public static readonly DiagnosticDescriptor InvalidStreamWindow = Error(
        "ANA019", "Invalid stream window", "The stream window {0} of '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor TwoProgressParameters = Error(
        "ANA020", "More than one IProgress<T> parameter", "The method '{0}' takes more than one IProgress<T> parameter ('{1}' and '{2}'); a method reports its progress through one");

    public static readonly DiagnosticDescriptor ProgressWithoutReply = Error(
        "ANA021", "IProgress<T> on a one-way or streaming method", "The method '{0}' takes the IProgress<T> parameter '{1}' but {2}; progress reaches a caller that waits for one reply");

    public static readonly DiagnosticDescriptor InvalidHeartbeat = Error(
        "ANA022", "Invalid heartbeat", "The heartbeat {0} of '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor BaselineMissing = new(
        "ANA023",
        "Contract has no baseline",
        "The contract '{0}' has no baseline '{1}', so changes that break deployed peers go unnoticed; build with -p:AnaUpdateContractBaselines=true to record one",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "ana023"));

    public static readonly DiagnosticDescriptor TopicRemoved = Error(
        "ANA024", "Topic removed or renamed", "The topic '{0}' of contract '{1}' is gone (removed or renamed) since its baseline: deployed callers still send it" + AcceptHint);

    public static readonly DiagnosticDescriptor CallKindChanged = Error(
        "ANA025", "Call kind changed", "The topic '{0}' of contract '{1}' was {2} and is {3} now: deployed peers expect the other" + AcceptHint);

    public static readonly DiagnosticDescriptor ArgumentRemoved = Error(
        "ANA026", "Argument removed or renamed", "The argument '{0}' of topic '{1}' is gone (removed or renamed) since the baseline: deployed callers still send it, and it would be ignored" + AcceptHint);

    public static readonly DiagnosticDescriptor ArgumentRequired = Error(
        "ANA027", "Argument without a default", "The argument '{0}' of topic '{1}' {2}: deployed callers do not send it; give it a default" + AcceptHint);

    public static readonly DiagnosticDescriptor TypeChanged = Error(
        "ANA028", "Type changed incompatibly", "'{0}' in {1} of topic '{2}' changed incompatibly: {3}" + AcceptHint);

    public static readonly DiagnosticDescriptor MemberRemoved = Error(
        "ANA029", "Member removed or renamed", "The member '{0}' in {1} of topic '{2}' is gone (removed or renamed): {3}" + AcceptHint);

    public static readonly DiagnosticDescriptor MemberRequired = Error(
        "ANA030", "Member made required", "The member '{0}' in the arguments of topic '{1}' {2}: deployed callers do not send it" + AcceptHint);

    public static readonly DiagnosticDescriptor ValueRemoved = Error(
        "ANA031", "Value no longer accepted", "'{0}' in the arguments of topic '{1}' no longer accepts {2}, which deployed callers may send" + AcceptHint);

    public static readonly DiagnosticDescriptor ValueAdded = Error(
        "ANA032", "New value in a result", "'{0}' in {1} of topic '{2}' may now be {3}, which deployed callers cannot read" + AcceptHint);

    public static readonly DiagnosticDescriptor NamingPolicyChanged = Error(
        "ANA033", "Naming policy changed", "The naming policy of contract '{0}' changed from {1} to {2} since its baseline: every member name on the wire changes" + AcceptHint);

    public static readonly DiagnosticDescriptor CompatibleChanges = new(
        "ANA034",
        "Compatible changes since the baseline",
        "The contract '{0}' changed compatibly since its baseline: {1}; build with -p:AnaUpdateContractBaselines=true to record it",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "ana034"));

    public static readonly DiagnosticDescriptor InvalidDurable = Error(
        "ANA036", "Invalid [AnaDurable]", "The method '{0}' cannot be durable as declared: {1}");

    public static readonly DiagnosticDescriptor BaselineUnreadable = new(
        "ANA035",
        "Baseline cannot be read",
        "The baseline '{0}' of contract '{1}' cannot be read ({2}): nothing is compared; build with -p:AnaUpdateContractBaselines=true to write it again",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "ana035"));

    /// <summary>How a breaking-change error says to accept the change.</summary>
    private const string AcceptHint = " (to change the contract on purpose, build with -p:AnaUpdateContractBaselines=true)";

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat) => new(
        id,
        title,
        messageFormat,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, id.ToLowerInvariant()));
}
