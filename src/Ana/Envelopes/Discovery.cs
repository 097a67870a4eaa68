using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>An agent announcing itself: its role, the subjects it owns and what it can do.</summary>
public sealed record Discovery : Envelope
{
    /// <summary>Creates an empty discovery envelope; set its required fields with an object initializer.</summary>
    public Discovery()
        : base(EnvelopeTypes.Discovery)
    {
    }

    [SetsRequiredMembers]
    internal Discovery(in EnvelopeOrigin origin)
        : base(EnvelopeTypes.Discovery, origin)
    {
    }

    /// <summary>The agent's role, e.g. <c>worker</c>.</summary>
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    /// <summary>The subjects the agent serves, e.g. <c>cc.fleet.dave.&gt;</c>.</summary>
    [JsonPropertyName("subjects_owned")]
    public IReadOnlyList<string>? SubjectsOwned { get; init; }

    /// <summary>What the agent offers, as free-form JSON values.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyDictionary<string, JsonElement>? Capabilities { get; init; }

    /// <summary>
    /// Typed-contract extension: the agents whose queries this bus answers and their topics, as
    /// <see cref="AgentBus.ServeAsync{TContract}"/> announces them. A Python ana peer ignores it.
    /// </summary>
    [JsonPropertyName("serves")]
    public IReadOnlyList<ServedAgent>? Serves { get; init; }
}
