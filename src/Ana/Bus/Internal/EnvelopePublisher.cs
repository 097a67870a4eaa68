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
        await _transport.PublishAsync(subject, replyTo, headers, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _counters.Published();
        _audit?.Record(subject, replyTo, buffer.WrittenSpan);
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
