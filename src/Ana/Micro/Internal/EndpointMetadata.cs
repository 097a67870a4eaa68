namespace Ana.Micro;

/// <summary>
/// The keys of the <c>metadata</c> maps a served contract shows in NATS micro INFO and STATS responses. Values are
/// strings, as ADR-32 requires.
/// </summary>
internal static class EndpointMetadata
{
    /// <summary>Service: the agent name as served (the service name is it mapped to ADR-32's characters).</summary>
    public const string Agent = "ana.agent";

    /// <summary>Service: the fleet prefix of the agent's subjects.</summary>
    public const string Prefix = "ana.prefix";

    /// <summary>Service and endpoint: the contract's name, the interface's full name (<c>Demo.IScheduler</c>).</summary>
    public const string Contract = "ana.contract";

    /// <summary>Endpoint: the topic as it appears in the subject (the endpoint name is it mapped to ADR-32's characters).</summary>
    public const string Topic = "ana.topic";

    /// <summary>Endpoint: the C# signature of the contract method, as declared.</summary>
    public const string Signature = "ana.signature";

    /// <summary>Endpoint: the JSON Schema of the arguments object (the query's <c>data</c>), as JSON text.</summary>
    public const string ArgumentsSchema = "ana.arguments_schema";

    /// <summary>Endpoint: the JSON Schema of the result (the reply's <c>data</c>; each item's, for a stream); absent for a method without one.</summary>
    public const string ResultSchema = "ana.result_schema";

    /// <summary>Endpoint: the JSON Schema of a progress report; absent for a method that reports none.</summary>
    public const string ProgressSchema = "ana.progress_schema";

    /// <summary>
    /// Service, in an INFO response that had to leave part of the endpoints' metadata out to fit the server's
    /// <c>max_payload</c>: <c>"schemas"</c> (the JSON Schemas were left out) or <c>"endpoints"</c> (all of it was).
    /// </summary>
    public const string Omitted = "ana.metadata_omitted";

    /// <summary>Whether <paramref name="key"/> holds a JSON Schema: the first thing left out of an INFO too large for <c>max_payload</c>.</summary>
    public static bool IsSchema(string key) => key is ArgumentsSchema or ResultSchema or ProgressSchema;
}
