using System.Threading.Channels;

namespace Ana.Transport.Memory;

/// <summary>
/// One subscription on a <see cref="MemoryBroker"/>: a bounded queue (new messages are dropped when it is full)
/// drained by a single pump that hands messages to the handler one at a time, in order.
/// </summary>
internal sealed class MemorySubscription : ITransportSubscription
{
    /// <summary>The pending-message limit of a subscription, as the default of core NATS clients.</summary>
    public const int Capacity = 16_384;

    private static readonly AsyncLocal<MemorySubscription?> Pumping = new();

    private readonly MemoryBroker _broker;
    private readonly MemoryTransport _owner;
    private readonly TransportHandler _handler;
    private readonly Channel<TransportMessage> _queue;
    private readonly Task _pump;
    private int _disposed;
    private int _draining;
    private long _dropped;
    private long _handlerFailures;

    internal MemorySubscription(MemoryBroker broker, MemoryTransport owner, string subject, string? queueGroup, TransportHandler handler)
    {
        _broker = broker;
        _owner = owner;
        _handler = handler;
        Subject = subject;
        QueueGroup = queueGroup;
        // Only TryWrite is used: in Wait mode it returns false on a full queue, so a drop can be counted.
        _queue = Channel.CreateBounded<TransportMessage>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        // The pump must not run handlers under the ambient context (activities, scopes) of whoever subscribed.
        using (ExecutionContext.SuppressFlow())
        {
            _pump = Task.Run(PumpAsync);
        }
    }

    /// <inheritdoc />
    public string Subject { get; }

    /// <summary>The queue group, or null for a plain subscription.</summary>
    public string? QueueGroup { get; }

    /// <summary>Messages dropped because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Handler calls that threw or faulted.</summary>
    public long HandlerFailureCount => Interlocked.Read(ref _handlerFailures);

    /// <summary>Messages waiting in the queue.</summary>
    public int PendingCount => _queue.Reader.Count;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Queues a message without blocking; drops it (and counts the drop) if the queue is full.</summary>
    internal void Enqueue(in TransportMessage message)
    {
        if (!_queue.Writer.TryWrite(message) && !IsDisposed)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <inheritdoc />
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
        {
            // Nothing new arrives; the pump hands over what is queued and ends when the queue is empty.
            _broker.Remove(this);
            _queue.Writer.TryComplete();
        }

        if (Pumping.Value != this)
        {
            try
            {
                await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of time: the dispose below discards the rest.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Unsubscribes, stops the pump and waits for the handler to finish its current message.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _broker.Remove(this);
            _owner.Forget(this);
            _queue.Writer.TryComplete();
        }

        // Disposed from its own handler: waiting for the pump would wait for ourselves.
        if (Pumping.Value == this)
        {
            return;
        }

        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        Pumping.Value = this;
        ChannelReader<TransportMessage> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out TransportMessage message))
            {
                if (IsDisposed)
                {
                    return;
                }

                try
                {
                    await _handler(message).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The bus logs its own handler failures; one must not stop the pump.
                    Interlocked.Increment(ref _handlerFailures);
                }
            }
        }
    }
}
