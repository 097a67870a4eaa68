using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A question to another agent, published on <c>&lt;prefix&gt;.&lt;to&gt;.query.&lt;topic&gt;</c>.</summary>
public sealed record Query : Envelope
{
    /// <summary>Creates an empty query envelope; set its required fields with an object initializer.</summary>
    public Query()
        : base(EnvelopeTypes.Query)
    {
    }

    // For the bus's own envelopes: the origin is stamped here, and each caller's object initializer sets the rest.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal Query(in EnvelopeOrigin origin)
        : base(EnvelopeTypes.Query, origin)
    {
    }
#pragma warning restore CS8618

    /// <summary>The agent the query is addressed to.</summary>
    [JsonPropertyName("to")]
    public required string To { get; init; }

    /// <summary>The question, as text.</summary>
    [JsonPropertyName("query")]
    public required string Text { get; init; }

    /// <summary>The fields the sender wants in the reply, if it names any.</summary>
    [JsonPropertyName("fields")]
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Correlates the reply with this query.</summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; init; }

    // A query read off the wire keeps its data as the bytes it came as (_received) until Data is first read: a generated
    // dispatcher reads its arguments from those bytes and never needs the document. Once made, the document is kept
    // in a holder set once, so that threads reading Data at the same time all see one whole value.
    private byte[]? _received;
    private DataHolder? _parsed;
    private JsonElement? _data;

    /// <summary>Typed-contract extension: the arguments, any JSON value.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data
    {
        get
        {
            if (_received is not { } received)
            {
                return _data;
            }

            DataHolder parsed = Volatile.Read(ref _parsed)
                ?? Interlocked.CompareExchange(ref _parsed, new DataHolder(HotEnvelopeReader.ParseData(received)), null)
                ?? _parsed!;
            return parsed.Value;
        }

        init
        {
            _data = value;
            _received = null;
            _parsed = null;
        }
    }

    /// <summary>The value of <c>data</c> as received, unparsed; <see langword="null"/> for a query that had none, or one made in code.</summary>
    internal byte[]? ReceivedData => _received;

    /// <summary>Makes the data of a query just read the bytes it came as (a value of <c>data</c>, checked as JSON).</summary>
    internal byte[]? Received
    {
        init => _received = value;
    }

    /// <summary>Typed-contract extension: how long the caller waits, in seconds, so the responder can give up with it.</summary>
    [JsonPropertyName("timeout_s")]
    public double? TimeoutSeconds { get; init; }

    /// <summary>
    /// Typed-contract extension: the caller asks for a stream of replies and lets the responder send this many items
    /// before it grants more (<see cref="Ack.Credit"/>). Absent on a plain query; a responder that streams answers a
    /// query without it with its first item only.
    /// </summary>
    [JsonPropertyName("stream_window")]
    public int? StreamWindow { get; init; }

    /// <summary>
    /// Typed-contract extension: the caller takes progress reports (a contract method with an <see cref="IProgress{T}"/>
    /// parameter): the responder sends each as an <see cref="Ack"/> with <see cref="Ack.Progress"/> to the query's inbox.
    /// </summary>
    [JsonPropertyName("progress")]
    public bool? Progress { get; init; }

    /// <summary>
    /// Typed-contract extension: the caller gives up on the call when no sign of life (a reply, an item, a progress report
    /// or an "alive" <see cref="Ack"/>) comes for this many seconds, while <see cref="TimeoutSeconds"/> stays the overall
    /// limit; the responder sends an "alive" ack to the query's inbox every third of it while the handler runs.
    /// </summary>
    [JsonPropertyName("heartbeat_s")]
    public double? HeartbeatSeconds { get; init; }

    private sealed class DataHolder(JsonElement value)
    {
        public JsonElement Value { get; } = value;
    }

    internal override void Validate()
    {
        base.Validate();
        Require(To, "to");
        Require(Text, "query");
        if (StreamWindow is < 1)
        {
            throw new AnaEnvelopeException($"Invalid query envelope: 'stream_window' must be at least 1, not {StreamWindow}.");
        }

        if (HeartbeatSeconds is <= 0)
        {
            throw new AnaEnvelopeException($"Invalid query envelope: 'heartbeat_s' must be greater than 0, not {HeartbeatSeconds}.");
        }
    }
}
