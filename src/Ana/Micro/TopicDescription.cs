namespace Ana;

/// <summary>One topic an agent serves, as its NATS micro endpoint describes it (<see cref="AgentDescription.Topics"/>).</summary>
public sealed record TopicDescription
{
    /// <summary>The topic, as in the subject <c>&lt;prefix&gt;.&lt;agent&gt;.query.&lt;topic&gt;</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>The subject queries on the topic go to.</summary>
    public required string Subject { get; init; }

    /// <summary>The queue group its servers share, or <see langword="null"/> when each server gets every query.</summary>
    public string? QueueGroup { get; init; }

    /// <summary>The contract method as declared in C# (<c>Task&lt;Job&gt; SubmitAsync(string name)</c>), when the agent gave it.</summary>
    public string? Signature { get; init; }

    /// <summary>The JSON Schema (draft 2020-12) of the arguments (the query's <c>data</c>), when the agent gave it.</summary>
    public string? ArgumentsSchema { get; init; }

    /// <summary>The JSON Schema of the result (the reply's <c>data</c>; each item's, for a stream), when the method has one and the agent gave it.</summary>
    public string? ResultSchema { get; init; }

    /// <summary>The JSON Schema of a progress report, when the method reports progress and the agent gave it.</summary>
    public string? ProgressSchema { get; init; }
}
