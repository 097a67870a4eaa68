using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>The answer to a <see cref="Query"/>: <see cref="Data"/> on success, <see cref="Error"/> on failure.</summary>
public sealed record Reply : Envelope
{
    /// <summary>Creates an empty reply envelope; set its required fields with an object initializer.</summary>
    public Reply()
        : base(EnvelopeTypes.Reply)
    {
    }

    // For the bus's own envelopes: the origin is stamped here, and each caller's object initializer sets the rest.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal Reply(in EnvelopeOrigin origin)
        : base(EnvelopeTypes.Reply, origin)
    {
    }
#pragma warning restore CS8618

    /// <summary>The subject of the query this answers.</summary>
    [JsonPropertyName("reply_for")]
    public required string ReplyFor { get; init; }

    /// <summary>The <see cref="Query.RequestId"/> of the query this answers.</summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; init; }

    /// <summary>The answer, any JSON value.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary>Typed-contract extension: why the query failed, instead of <see cref="Data"/>.</summary>
    [JsonPropertyName("error")]
    public ReplyError? Error { get; init; }

    /// <summary>
    /// Typed-contract extension: the position of this reply in a stream of replies to one query, from 1; absent on the
    /// single reply of a plain query. The stream's last reply is its <see cref="End"/> or an <see cref="Error"/>.
    /// </summary>
    [JsonPropertyName("seq")]
    public long? Sequence { get; init; }

    /// <summary>Typed-contract extension: <see langword="true"/> on the reply that ends a stream (it carries no data).</summary>
    [JsonPropertyName("end")]
    public bool? End { get; init; }

    internal override void Validate()
    {
        base.Validate();
        Require(ReplyFor, "reply_for");
        if (Error is { } error)
        {
            Require(error.Code, "error.code");
            Require(error.Message, "error.message");
        }

        if (Sequence is < 1)
        {
            throw new AnaEnvelopeException($"Invalid reply envelope: 'seq' must be at least 1, not {Sequence}.");
        }
    }
}
