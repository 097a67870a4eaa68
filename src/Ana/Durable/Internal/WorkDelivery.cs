using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Ana.Durable;

/// <summary>
/// One stored message delivered to this server, from the moment it arrives until it is settled once: acknowledged
/// (done), handed back (now, or after a delay) or terminated (parked). While it is held, unstarted or running, JetStream
/// is told every third of the consumer's ack wait that it is in progress, so that a handler of any length is not given to
/// another server while this process lives.
/// </summary>
internal sealed class WorkDelivery : IStoredWork
{
    private static readonly TimeSpan ShortestProgress = TimeSpan.FromMilliseconds(100);

    private readonly NatsJSMsg<byte[]> _message;
    private readonly ITimer _progress;
    private int _settled;

    public WorkDelivery(NatsJSMsg<byte[]> message, WorkTopic topic)
    {
        _message = message;
        Topic = topic;
        TimeSpan every = topic.AckWait / 3 > ShortestProgress ? topic.AckWait / 3 : ShortestProgress;
        _progress = topic.Clock.CreateTimer(static state => ((WorkDelivery)state!).SendProgress(), this, every, every);
    }

    /// <summary>The (agent, topic) it was delivered for.</summary>
    public WorkTopic Topic { get; }

    /// <summary>The subject it was stored on: <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>.</summary>
    public string Subject => _message.Subject;

    /// <summary>The stored envelope.</summary>
    public ReadOnlyMemory<byte> Payload => _message.Data ?? [];

    /// <summary>The headers it was stored with (a caller's trace context).</summary>
    public NatsHeaders? Headers => _message.Headers;

    /// <summary>When JetStream stored it, by the server's clock: where a stored call's deadline is counted from.</summary>
    public DateTimeOffset StoredAt => _message.Metadata?.Timestamp ?? Topic.Clock.GetUtcNow();

    /// <summary>Its place in the work stream.</summary>
    public ulong Sequence => _message.Metadata?.Sequence.Stream ?? 0;

    /// <inheritdoc/>
    public int Attempt => (int)Math.Min(_message.Metadata?.NumDelivered ?? 1, int.MaxValue);

    /// <summary>The request id of the query it holds, once read (what its completion record is keyed by).</summary>
    public string? RequestId { get; set; }

    /// <summary>Done: JetStream removes it from the work queue.</summary>
    public ValueTask AckAsync() => SettleAsync(static (message, _) => message.AckAsync(), default);

    /// <summary>Handed back to be delivered again after <paramref name="delay"/> (at once when zero), to this server or another.</summary>
    public ValueTask ReleaseAsync(TimeSpan delay)
        => SettleAsync(static (message, delay) => message.NakAsync(delay > TimeSpan.Zero ? new AckOpts { NakDelay = delay } : null), delay);

    /// <summary>Removed from the work queue for good, after its parked copy was stored.</summary>
    public ValueTask TerminateAsync() => SettleAsync(static (message, _) => message.AckTerminateAsync(), default);

    /// <inheritdoc/>
    public EnvelopeHandler Handler => Topic.Handler;

    /// <inheritdoc/>
    public bool KeepsReply => Topic is { Records: not null, Settings.OneWay: false };

    /// <inheritdoc/>
    public (DateTimeOffset Deadline, TimeSpan Left)? DeadlineOf(Query query)
        => WorkTopic.Deadline(this, query) is { } deadline ? (deadline, Topic.GiveUpAt(this, query)!.Value - Topic.Clock.GetUtcNow()) : null;

    /// <inheritdoc/>
    public ValueTask SettleAsync(Exception? failure, bool stopped, byte[]? reply) => Topic.SettleAsync(this, failure, stopped, reply);

    public void Dispose() => _progress.Dispose();

    private async ValueTask SettleAsync(Func<NatsJSMsg<byte[]>, TimeSpan, ValueTask> settle, TimeSpan delay)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return;
        }

        _progress.Dispose();
        try
        {
            await settle(_message, delay).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            // Lost with the connection: JetStream delivers it again after the ack wait, and at least once holds.
            DurableLog.SettleFailed(Topic.Logger, Subject, Sequence, ex.Message);
        }
    }

    private void SendProgress()
    {
        if (Volatile.Read(ref _settled) == 0)
        {
            _ = SendProgressAsync();
        }
    }

    private async Task SendProgressAsync()
    {
        try
        {
            await _message.AckProgressAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            // The next tick tries again; a process cut off for a whole ack wait loses the message to another server.
        }
    }
}
