using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A receipt for a query, published on the acknowledging agent's <c>ack</c> subject.</summary>
public sealed record Ack : Envelope
{
    /// <summary>Creates an empty ack envelope; set its required fields with an object initializer.</summary>
    public Ack()
        : base(EnvelopeTypes.Ack)
    {
    }

    // For the bus's own envelopes: the origin is stamped here, and each caller's object initializer sets the rest.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal Ack(in EnvelopeOrigin origin)
        : base(EnvelopeTypes.Ack, origin)
    {
    }
#pragma warning restore CS8618

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
