using System.Diagnostics;
using Ana.Telemetry;
using Ana.Transport;
using NATS.Client.Core;

namespace Ana;

/// <summary>
/// Everything a bus sends goes through here: stamped with the bus's origin (<see cref="Origin"/>), serialized into a
/// pooled buffer, published, counted and audited. It knows nothing of calls, subscriptions or handlers.
/// </summary>
internal sealed class EnvelopePublisher : IAsyncDisposable
{
    private readonly string _identity;
    private readonly string _host;
    private readonly ITransport _transport;
    private readonly AuditLog? _audit;
    private readonly BusCounters _counters;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private int _closed;

    public EnvelopePublisher(string identity, string host, ITransport transport, AuditLog? audit, BusCounters counters)
    {
        _identity = identity;
        _host = host;
        _transport = transport;
        _audit = audit;
        _counters = counters;
    }

    /// <summary>The stamp of an envelope sent now: <c>from</c>, <c>ts</c>, <c>clock</c> and <c>host</c>.</summary>
    public EnvelopeOrigin Origin() => new(_identity, DateTimeOffset.UtcNow, Clock(), _host);

    /// <summary>This process's clock as the <c>clock</c> field reports it.</summary>
    public EnvelopeClock Clock() => new()
    {
        LocalTime = DateTimeOffset.Now,
        UptimeSeconds = Math.Round(_uptime.Elapsed.TotalSeconds, 3),
    };

    /// <summary>Stamps <c>clock</c> and <c>host</c> on an envelope written by the user, where it has none.</summary>
    public Envelope CompleteOrigin(Envelope envelope)
        => envelope.Clock is null || envelope.Host is null
            ? envelope with { Clock = envelope.Clock ?? Clock(), Host = envelope.Host ?? _host }
            : envelope;

    /// <summary>
    /// Publishes <paramref name="envelope"/>. A query carries the current span's trace context in its headers (see
    /// <see cref="TraceHeaders"/>), so that the span of its handler joins the caller's trace; other envelopes carry none.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The bus is closing.</exception>
    public ValueTask PublishAsync(string subject, string? replyTo, Envelope envelope, CancellationToken cancellationToken)
        => PublishAsync(subject, replyTo, envelope, envelope is Query ? TraceHeaders.For(Activity.Current) : null, cancellationToken);

    /// <summary>Publishes <paramref name="envelope"/> with <paramref name="headers"/>, which belong to this publish alone.</summary>
    /// <exception cref="ObjectDisposedException">The bus is closing.</exception>
    public async ValueTask PublishAsync(string subject, string? replyTo, Envelope envelope, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, typeof(AgentBus));
        using PooledBufferWriter buffer = new();
        EnvelopeSerializer.Serialize(buffer, envelope);
        await PublishAsync(subject, replyTo, buffer.WrittenMemory, headers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stamp of an envelope written now by <see cref="HotEnvelopeWriter"/>: the same fields as <see cref="Origin"/>.</summary>
    /// <summary>The sending agent, the <c>from</c> of every envelope this bus publishes.</summary>
    public string Identity => _identity;

    public EnvelopeStamp Stamp()
        => new(_identity, DateTimeOffset.UtcNow, DateTimeOffset.Now, Math.Round(_uptime.Elapsed.TotalSeconds, 3), _host);

    /// <summary>
    /// Publishes a query written straight from its parts, its <paramref name="data"/> in place, with the current span's
    /// trace context in its headers (as every query).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The bus is closing.</exception>
    public ValueTask PublishQueryAsync(
        string subject,
        string? replyTo,
        string to,
        string text,
        IReadOnlyList<string>? fields,
        string requestId,
        in CallData data,
        double? timeoutSeconds,
        in QueryExtras extras,
        CancellationToken cancellationToken)
    {
        PooledBufferWriter buffer = WriteQuery(to, text, fields, requestId, data, timeoutSeconds, extras);
        return PublishAndReturnAsync(subject, replyTo, buffer, TraceHeaders.For(Activity.Current), cancellationToken);
    }

    /// <summary>A query written straight from its parts, stamped now, into a pooled buffer the caller disposes.</summary>
    /// <exception cref="ObjectDisposedException">The bus is closing.</exception>
    public PooledBufferWriter WriteQuery(
        string to,
        string text,
        IReadOnlyList<string>? fields,
        string requestId,
        in CallData data,
        double? timeoutSeconds,
        in QueryExtras extras)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, typeof(AgentBus));
        PooledBufferWriter buffer = new();
        try
        {
            HotEnvelopeWriter.WriteQuery(buffer, Stamp(), to, text, fields, requestId, data, timeoutSeconds, extras);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Counts and audits an envelope that went out another way than a core publish (stored by JetStream).</summary>
    public void Stored(string subject, ReadOnlySpan<byte> payload)
    {
        _counters.Published();
        _audit?.Record(subject, null, payload);
    }

    /// <summary>Publishes an envelope written already (<paramref name="payload"/>), with <paramref name="headers"/>, which belong to this publish alone.</summary>
    /// <exception cref="ObjectDisposedException">The bus is closing.</exception>
    public async ValueTask PublishAsync(string subject, string? replyTo, ReadOnlyMemory<byte> payload, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, typeof(AgentBus));
        await _transport.PublishAsync(subject, replyTo, headers, payload, cancellationToken).ConfigureAwait(false);
        _counters.Published();
        _audit?.Record(subject, replyTo, payload.Span);
    }

    private async ValueTask PublishAndReturnAsync(string subject, string? replyTo, PooledBufferWriter buffer, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        using (buffer)
        {
            await PublishAsync(subject, replyTo, buffer.WrittenMemory, headers, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Refuses further publishes and flushes the audit log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0 && _audit is not null)
        {
            await _audit.DisposeAsync().ConfigureAwait(false);
        }
    }
}
