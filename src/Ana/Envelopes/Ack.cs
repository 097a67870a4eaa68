using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A receipt for a query, published on the acknowledging agent's <c>ack</c> subject.</summary>
public sealed record Ack() : Envelope(EnvelopeTypes.Ack)
{
    /// <summary>The subject of the query this acknowledges.</summary>
    [JsonPropertyName("ack_for")]
    public required string AckFor { get; init; }

    /// <summary>Whether the acknowledging agent is alive and working; absent or <c>null</c> on the wire means <see langword="true"/>.</summary>
    [JsonPropertyName("alive"), JsonConverter(typeof(NullMeansTrueConverter))]
    public bool Alive { get; init; } = true;

    internal override void Validate()
    {
        base.Validate();
        Require(AckFor, "ack_for");
    }
}
