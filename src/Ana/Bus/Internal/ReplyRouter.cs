using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Ana.Transport;

namespace Ana;

/// <summary>
/// Delivers replies to the queries waiting for them. A bus has one inbox subscription (<c>_INBOX.&lt;id&gt;.*</c>) and one
/// subscription per responder reply subject it has queried (<c>&lt;prefix&gt;.&lt;agent&gt;.reply.&lt;topic&gt;</c>, as the
/// Python package replies), never one per call; each reply is matched by request id and delivered at most once.
/// </summary>
internal sealed class ReplyRouter : IAsyncDisposable
{
    private readonly EnvelopeReceiver _receiver;
    private readonly ITransport _transport;
    private readonly string _inboxPrefix;
    // A plain dictionary under a lock: held for a lookup at a time, and unlike ConcurrentDictionary it allocates no node per call.
    private readonly Dictionary<string, PendingReply> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ITransportSubscription>>> _replySubjects = new(StringComparer.Ordinal);
    private ITransportSubscription? _inbox;

    private ReplyRouter(EnvelopeReceiver receiver, ITransport transport)
    {
        _receiver = receiver;
        _transport = transport;
        _inboxPrefix = transport.NewInboxPrefix();
    }

    public static async ValueTask<ReplyRouter> StartAsync(ITransport transport, EnvelopeReceiver receiver, CancellationToken cancellationToken)
    {
        ReplyRouter router = new(receiver, transport);
        router._inbox = await transport.SubscribeInlineAsync(router._inboxPrefix + ".*", router.OnInboxMessage, cancellationToken)
            .ConfigureAwait(false);
        return router;
    }

    public string InboxFor(string requestId) => string.Concat(_inboxPrefix, ".", requestId);

    /// <summary>Makes sure replies published on <paramref name="replySubject"/> reach this bus before a query is sent.</summary>
    public ValueTask ListenOnAsync(string replySubject, CancellationToken cancellationToken)
    {
        // Looked up before GetOrAdd: the method group would be a new delegate on every call.
        if (!_replySubjects.TryGetValue(replySubject, out Lazy<Task<ITransportSubscription>>? subscription))
        {
            subscription = _replySubjects.GetOrAdd(replySubject, SubscribeLazily);
        }

        Task<ITransportSubscription> task = subscription.Value;
        return task.IsCompletedSuccessfully ? default : AwaitSubscriptionAsync(replySubject, subscription, cancellationToken);
    }

    public PendingReply Register(string requestId, string querySubject)
    {
        PendingReply pending = new(querySubject);
        lock (_pending)
        {
            _pending[requestId] = pending;
        }

        return pending;
    }

    public void Forget(string requestId) => TryTake(requestId, out _);

    public async ValueTask DisposeAsync()
    {
        PendingReply[] waiting;
        lock (_pending)
        {
            waiting = [.. _pending.Values];
        }

        foreach (PendingReply pending in waiting)
        {
            pending.TryFailDisposed();
        }

        if (_inbox is not null)
        {
            await _inbox.DisposeAsync().ConfigureAwait(false);
        }

        foreach (Lazy<Task<ITransportSubscription>> subscription in _replySubjects.Values)
        {
            if (subscription.Value.IsCompletedSuccessfully)
            {
                await subscription.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private Lazy<Task<ITransportSubscription>> SubscribeLazily(string replySubject)
        => new(() => _transport.SubscribeInlineAsync(replySubject, OnReplySubjectMessage, CancellationToken.None).AsTask());

    private async ValueTask AwaitSubscriptionAsync(string replySubject, Lazy<Task<ITransportSubscription>> subscription, CancellationToken cancellationToken)
    {
        try
        {
            await subscription.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (subscription.Value.IsFaulted || subscription.Value.IsCanceled)
        {
            _replySubjects.TryRemove(new KeyValuePair<string, Lazy<Task<ITransportSubscription>>>(replySubject, subscription));
            throw;
        }
    }

    private ValueTask OnInboxMessage(TransportMessage message)
    {
        ReadOnlySpan<char> requestId = message.Subject.AsSpan(_inboxPrefix.Length + 1);
        if (message.IsNoResponders)
        {
            if (TryTake(requestId.ToString(), out PendingReply? pending))
            {
                pending.TryFailNoResponders();
            }

            return default;
        }

        if (_receiver.TryParseReply(message, out Reply? reply))
        {
            // The inbox names the call; a reply that claims another call's id there is not trusted for either.
            if (reply.RequestId is not null && !requestId.SequenceEqual(reply.RequestId))
            {
                Drop(message.Subject, reply.RequestId);
            }
            else
            {
                Deliver(message.Subject, reply.RequestId ?? requestId.ToString(), reply);
            }
        }

        return default;
    }

    private ValueTask OnReplySubjectMessage(TransportMessage message)
    {
        if (!message.IsNoResponders && _receiver.TryParseReply(message, out Reply? reply))
        {
            Deliver(message.Subject, reply.RequestId, reply);
        }

        return default;
    }

    private void Deliver(string subject, string? requestId, Reply reply)
    {
        if (requestId is null || !TryTake(requestId, out PendingReply? pending) || !pending.TryComplete(reply))
        {
            Drop(subject, requestId);
        }
    }

    private bool TryTake(string requestId, [NotNullWhen(true)] out PendingReply? pending)
    {
        lock (_pending)
        {
            return _pending.Remove(requestId, out pending);
        }
    }

    private void Drop(string subject, string? requestId) => _receiver.DropUnmatchedReply(subject, requestId);
}
