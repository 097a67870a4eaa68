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

    /// <summary>
    /// Typed-contract extension: the <see cref="Query.RequestId"/> of the call this ack steers, when it is a caller's
    /// control message (<see cref="Credit"/> or <see cref="Cancel"/>) rather than a responder's receipt.
    /// </summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; init; }

    /// <summary>Typed-contract extension: how many more items of a stream the caller is ready to take.</summary>
    [JsonPropertyName("credit")]
    public int? Credit { get; init; }

    /// <summary>Typed-contract extension: <see langword="true"/> when the caller stopped waiting for the call; its handler's token fires.</summary>
    [JsonPropertyName("cancel")]
    public bool? Cancel { get; init; }

    /// <summary>
    /// Typed-contract extension: a progress report of the call <see cref="RequestId"/>, any JSON value, sent by the
    /// responder to the caller's inbox while it works (see <see cref="Query.Progress"/>).
    /// </summary>
    [JsonPropertyName("progress")]
    public System.Text.Json.JsonElement? Progress { get; init; }

    internal override void Validate()
    {
        base.Validate();
        Require(AckFor, "ack_for");
        if (Credit is < 1)
        {
            throw new AnaEnvelopeException($"Invalid ack envelope: 'credit' must be at least 1, not {Credit}.");
        }
    }
}
