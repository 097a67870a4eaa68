using System.Text.Json.Serialization;

namespace Ana;

/// <summary>
/// Typed-contract extension of <see cref="Discovery"/>: an agent name whose queries the announcing bus answers (a
/// contract served with <see cref="AgentBus.ServeAsync{TContract}"/>, possibly under a name other than the bus's
/// identity) and the topics it answers there.
/// </summary>
public sealed record ServedAgent
{
    /// <summary>The agent name the queries are addressed to: they arrive on <c>&lt;prefix&gt;.&lt;agent&gt;.query[.&lt;topic&gt;]</c>.</summary>
    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    /// <summary>The topics answered, or <see langword="null"/> when unknown (a contract registered without its topic list).</summary>
    [JsonPropertyName("topics")]
    public IReadOnlyList<string>? Topics { get; init; }
}
