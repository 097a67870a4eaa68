using System.Runtime.ExceptionServices;
using Ana.Transport;

namespace Ana;

/// <summary>
/// The bus's subscriptions to responders' <c>reply</c> subjects, shared by the calls that wait on them. A subscription
/// is made by the first call that needs it and released once no call has needed it for <see cref="Linger"/>, so a
/// caller that talks to many agents and topics over its life does not keep (and re-send on every reconnect) one
/// subscription per pair it ever called.
/// </summary>
/// <remarks>
/// Trade-offs: the linger keeps a hot subject from churning SUB/UNSUB on every call, at the cost of holding an idle
/// subscription that long; at most <see cref="MaxIdle"/> idle ones are held, the oldest released first, so a burst of
/// one-off topics is bounded too. A subject subscribed again while its old subscription is still closing waits for the
/// close, so one reply is never delivered twice. One lock guards the table; it is taken twice per call (acquire and
/// release) for a dictionary lookup and a linked-list move, and a call allocates nothing here.
/// </remarks>
internal sealed class ReplySubjects : IAsyncDisposable
{
    /// <summary>How long a subscription no call uses is kept, unless the bus says otherwise.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(10);

    /// <summary>How many unused subscriptions are kept at most, unless the bus says otherwise.</summary>
    public const int DefaultMaxIdle = 256;

    private readonly ITransport _transport;
    private readonly TransportHandler _handler;
    private readonly Dictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly LinkedList<Listener> _idle = new();
    private readonly Dictionary<string, Task> _closing = new(StringComparer.Ordinal);
    private readonly ITimer _sweeper;
    private bool _disposed;

    public ReplySubjects(ITransport transport, TransportHandler handler, TimeSpan linger, int maxIdle)
    {
        _transport = transport;
        _handler = handler;
        Linger = linger;
        MaxIdle = maxIdle;
        _sweeper = TimeProvider.System.CreateTimer(static state => ((ReplySubjects)state!).Sweep(), this, linger, linger);
    }

    /// <summary>How long an unused subscription is kept: between one and two of these, as the sweep runs once per linger.</summary>
    public TimeSpan Linger { get; }

    /// <summary>How many unused subscriptions are kept at most.</summary>
    public int MaxIdle { get; }

    /// <summary>
    /// How many reply subjects the bus holds on the server: in use, lingering, being subscribed, or released but not yet
    /// unsubscribed (zero means the server has processed every UNSUB).
    /// </summary>
    public int Count
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.Count + _closing.Count;
            }
        }
    }

    /// <summary>
    /// Takes a share of the subscription to <paramref name="subject"/>, subscribing if there is none; give it back with
    /// <see cref="Release"/> when the call ends, whatever way it ends.
    /// </summary>
    public Listener Acquire(string subject)
    {
        Listener? listener;
        Task? previous = null;
        bool created = false;
        lock (_listeners)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_listeners.TryGetValue(subject, out listener))
            {
                listener = new Listener(subject);
                _closing.TryGetValue(subject, out previous);
                _listeners.Add(subject, listener);
                created = true;
            }
            else if (listener.Calls == 0)
            {
                _idle.Remove(listener.IdleNode);
            }

            listener.Calls++;
        }

        if (created)
        {
            // Outside the lock: subscribing writes to the connection, and other calls must not wait behind that.
            _ = SubscribeAsync(listener, previous);
        }

        return listener;
    }

    /// <summary>Returns once the subscription of <paramref name="listener"/> is registered with the server.</summary>
    /// <exception cref="AnaConnectionException">The subscription could not be made: the connection was lost or closed.</exception>
    /// <exception cref="AnaPermissionException">The server does not let this connection subscribe to the reply subject.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public ValueTask WhenListeningAsync(Listener listener, CancellationToken cancellationToken)
    {
        Task<ITransportSubscription> subscribed = listener.Subscribed;
        return subscribed.IsCompletedSuccessfully ? default : AwaitSubscribedAsync(listener, subscribed, cancellationToken);
    }

    /// <summary>Gives back a share taken by <see cref="Acquire"/>.</summary>
    public void Release(Listener listener)
    {
        Listener? evicted = null;
        lock (_listeners)
        {
            if (--listener.Calls > 0 || listener.Removed)
            {
                return;
            }

            listener.IdleSince = Environment.TickCount64;
            _idle.AddLast(listener.IdleNode);
            if (_idle.Count > MaxIdle)
            {
                evicted = _idle.First!.Value;
                RemoveIdle(evicted);
            }
        }

        if (evicted is not null)
        {
            Close(evicted);
        }
    }

    /// <summary>
    /// Unsubscribes what is subscribed. Subscriptions still being made or closed are left to the transport, which the
    /// bus disposes next: awaiting them could wait for a reconnect that never comes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Listener[] listeners;
        lock (_listeners)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            listeners = [.. _listeners.Values];
            _listeners.Clear();
            _idle.Clear();
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (Listener listener in listeners)
        {
            if (listener.Subscribed.IsCompletedSuccessfully)
            {
                await CloseAsync(listener).ConfigureAwait(false);
            }
        }
    }

    private async Task SubscribeAsync(Listener listener, Task? previous)
    {
        try
        {
            if (previous is not null)
            {
                await previous.ConfigureAwait(false);
            }

            // Not the first caller's token: the subscription outlives that call and serves the others waiting on it.
            ITransportSubscription subscription = await _transport.SubscribeInlineAsync(listener.Subject, _handler, CancellationToken.None)
                .ConfigureAwait(false);
            listener.Subscription.SetResult(subscription);
        }
        catch (Exception ex)
        {
            listener.Subscription.SetException(ex);
        }
    }

    private async ValueTask AwaitSubscribedAsync(Listener listener, Task<ITransportSubscription> subscribed, CancellationToken cancellationToken)
    {
        try
        {
            await subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (subscribed.IsFaulted)
        {
            lock (_listeners)
            {
                // The next call subscribes afresh; the calls holding this one still release it, to no effect.
                if (!listener.Removed && _listeners.Remove(listener.Subject))
                {
                    listener.Removed = true;
                    if (listener.Calls == 0)
                    {
                        _idle.Remove(listener.IdleNode);
                    }
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            Exception cause = subscribed.Exception!.InnerException!;
            if (cause is AnaPermissionException or AnaConnectionException or ObjectDisposedException)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            // Setting up a subscription while the connection drops ends in the client's own cancellations and errors;
            // none of them is the caller's, and the caller must not mistake one for its own token firing.
            throw new AnaConnectionException($"Could not listen for replies on '{listener.Subject}': the connection to the server was lost.", cause);
        }
    }

    private void Sweep()
    {
        List<Listener>? expired = null;
        lock (_listeners)
        {
            long now = Environment.TickCount64;
            long linger = (long)Linger.TotalMilliseconds;
            while (_idle.First is { } oldest && now - oldest.Value.IdleSince >= linger)
            {
                (expired ??= []).Add(oldest.Value);
                RemoveIdle(oldest.Value);
            }
        }

        if (expired is not null)
        {
            foreach (Listener listener in expired)
            {
                Close(listener);
            }
        }
    }

    /// <summary>Takes an unused listener out of the table (under the lock).</summary>
    private void RemoveIdle(Listener listener)
    {
        _idle.Remove(listener.IdleNode);
        _listeners.Remove(listener.Subject);
        listener.Removed = true;
    }

    /// <summary>Unsubscribes a listener taken out of the table; a new subscription to its subject waits for this.</summary>
    private void Close(Listener listener)
    {
        TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? previous;
        lock (_listeners)
        {
            if (_disposed)
            {
                return;
            }

            _closing.TryGetValue(listener.Subject, out previous);
            _closing[listener.Subject] = closed.Task;
        }

        _ = CloseAfterAsync(previous, listener, closed);
    }

    private async Task CloseAfterAsync(Task? previous, Listener listener, TaskCompletionSource closed)
    {
        if (previous is not null)
        {
            await previous.ConfigureAwait(false);
        }

        await CloseAsync(listener).ConfigureAwait(false);
        lock (_listeners)
        {
            if (_closing.TryGetValue(listener.Subject, out Task? latest) && latest == closed.Task)
            {
                _closing.Remove(listener.Subject);
            }
        }

        closed.SetResult();
    }

    private static async Task CloseAsync(Listener listener)
    {
        try
        {
            ITransportSubscription subscription = await listener.Subscribed.ConfigureAwait(false);
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A subscription that failed has nothing to release; one that fails to unsubscribe ends with its connection.
        }
    }

    /// <summary>One reply subject's subscription and the calls using it; its fields are guarded by the table's lock.</summary>
    internal sealed class Listener
    {
        public Listener(string subject)
        {
            Subject = subject;
            IdleNode = new LinkedListNode<Listener>(this);
        }

        public string Subject { get; }

        public LinkedListNode<Listener> IdleNode { get; }

        public TaskCompletionSource<ITransportSubscription> Subscription { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ITransportSubscription> Subscribed => Subscription.Task;

        public int Calls { get; set; }

        public long IdleSince { get; set; }

        public bool Removed { get; set; }
    }
}
