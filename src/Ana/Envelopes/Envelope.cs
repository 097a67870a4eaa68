using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>
/// The fields every ana envelope carries. The concrete shapes are <see cref="Query"/>, <see cref="Reply"/>,
/// <see cref="Ack"/>, <see cref="Discovery"/> and <see cref="Pulse"/>; <see cref="EnvelopeSerializer"/> reads and writes them.
/// </summary>
public abstract record Envelope
{
    private protected Envelope(string type) => Type = type;

    [SetsRequiredMembers]
    private protected Envelope(string type, in EnvelopeOrigin origin)
        : this(type)
    {
        From = origin.From;
        Ts = origin.Ts;
        Clock = origin.Clock;
        Host = origin.Host;
    }

    /// <summary>The wire discriminator: <c>query</c>, <c>reply</c>, <c>ack</c>, <c>discovery</c> or <c>pulse</c>.</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-3)]
    public string Type { get; }

    /// <summary>The identity of the sending agent.</summary>
    [JsonPropertyName("from"), JsonPropertyOrder(-2)]
    public required string From { get; init; }

    /// <summary>When the envelope was sent; written as ISO-8601 UTC.</summary>
    [JsonPropertyName("ts"), JsonPropertyOrder(102), JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset Ts { get; init; }

    /// <summary>The sender's local clock when it sent the envelope, so receivers can judge freshness.</summary>
    [JsonPropertyName("clock"), JsonPropertyOrder(100)]
    public EnvelopeClock? Clock { get; init; }

    /// <summary>The host the sender runs on.</summary>
    [JsonPropertyName("host"), JsonPropertyOrder(101)]
    public string? Host { get; init; }

    /// <summary>Throws <see cref="AnaEnvelopeException"/> when a required field holds JSON <c>null</c>.</summary>
    internal virtual void Validate()
    {
        Require(From, "from");
    }

    private protected void Require(string? value, string field)
    {
        if (value is null)
        {
            throw new AnaEnvelopeException($"Invalid {Type} envelope: required field '{field}' is null.");
        }
    }
}
