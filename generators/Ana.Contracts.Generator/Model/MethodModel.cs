namespace Ana.Contracts.Generator.Model;

/// <summary>One contract method: how the client calls it and how the dispatcher serves it.</summary>
/// <param name="Name">The method's name, e.g. <c>SubmitAsync</c>.</param>
/// <param name="HandlerName">The name of the dispatcher's private method that serves it, unique in the dispatcher.</param>
/// <param name="Topic">The topic: <c>[AnaTopic]</c>, else the name without <c>Async</c> in snake_case.</param>
/// <param name="Kind">Whether a call waits for a value, waits for completion, or only publishes.</param>
/// <param name="ReturnType">The declared return type as generated code writes it (nullable annotations included).</param>
/// <param name="Result">The result carried by the reply, for <see cref="CallKind.Query"/> methods; each item's type, for <see cref="CallKind.Stream"/> methods.</param>
/// <param name="Timeout">The timeout in seconds as a C# double literal, or <see langword="null"/> for the bus default.</param>
/// <param name="Parameters">The parameters that travel in the query's <c>data</c>, without the cancellation token.</param>
/// <param name="CancellationTokenName">The name of the trailing <c>CancellationToken</c> parameter, if the method has one.</param>
/// <param name="DeclaringInterface">The interface that declares the method (the contract, or one it extends), fully qualified.</param>
/// <param name="DeclaredByContract">Whether the contract itself declares it (else an interface it extends does).</param>
/// <param name="Declaration">The method as declared (<c>Task&lt;Job&gt; SubmitAsync(string name)</c>), for discovery metadata.</param>
/// <param name="StreamWindow">The method's <c>[AnaStreamWindow]</c>, for <see cref="CallKind.Stream"/> methods that have one.</param>
/// <param name="Progress">The method's <c>IProgress&lt;T&gt;</c> parameter, which does not travel in <c>data</c>, if it has one.</param>
/// <param name="Heartbeat">The heartbeat deadline in seconds as a C# double literal (<c>[AnaHeartbeat]</c>), or <see langword="null"/>.</param>
/// <param name="Durable">The method's <c>[AnaDurable]</c> settings, or <see langword="null"/> for a method that is not durable.</param>
internal sealed record MethodModel(
    string Name,
    string HandlerName,
    string Topic,
    CallKind Kind,
    string ReturnType,
    ResultModel? Result,
    string? Timeout,
    EquatableArray<ParameterModel> Parameters,
    string? CancellationTokenName,
    string DeclaringInterface,
    bool DeclaredByContract,
    string Declaration,
    int? StreamWindow,
    ProgressModel? Progress,
    string? Heartbeat,
    DurableModel? Durable = null);

/// <summary>A method's <c>[AnaDurable]</c>: the attempts a stored message gets, and the first retry delay as a C# double literal in seconds.</summary>
internal sealed record DurableModel(int MaxAttempts, string RetryDelaySeconds);

/// <summary>A method's <c>IProgress&lt;T&gt;</c> parameter.</summary>
/// <param name="Name">The parameter's name as an identifier.</param>
/// <param name="Type">The reports' type <c>T</c> and the JSON metadata for it.</param>
/// <param name="Position">How many of the method's <c>data</c> parameters come before it.</param>
/// <param name="DeclaredType">The parameter's type as declared, nullable annotations included (<c>global::System.IProgress&lt;int&gt;?</c>).</param>
internal sealed record ProgressModel(string Name, TypeRefModel Type, int Position, string DeclaredType);

/// <summary>How a contract method is called.</summary>
internal enum CallKind
{
    /// <summary>Returns <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>: query, wait, read the reply's data.</summary>
    Query,

    /// <summary>Returns <c>Task</c> or <c>ValueTask</c>: query and wait for a reply that says it is done.</summary>
    Completion,

    /// <summary>Marked <c>[AnaOneWay]</c>: publish the query and return once it is sent.</summary>
    OneWay,

    /// <summary>Returns <c>IAsyncEnumerable&lt;T&gt;</c>: query for a stream, yield each item as it arrives.</summary>
    Stream,
}
