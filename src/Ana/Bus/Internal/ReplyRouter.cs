using System.Diagnostics.CodeAnalysis;
using Ana.Contracts.Infrastructure;
using Ana.Transport;

namespace Ana;

/// <summary>
/// Delivers replies to the queries waiting for them. A bus has one inbox subscription (<c>_INBOX.&lt;id&gt;.*</c>) and
/// one subscription per responder reply subject its calls wait on (<c>&lt;prefix&gt;.&lt;agent&gt;.reply.&lt;topic&gt;</c>,
/// as the Python package replies; shared and released by <see cref="ReplySubjects"/>), never one per call. A reply is
/// delivered at most once, to the call whose request id it carries, and only if it came where that call listens: on
/// the call's own inbox, or on the reply subject of the agent and topic the call queried.
/// </summary>
internal sealed class ReplyRouter : IAsyncDisposable
{
    private readonly EnvelopeReceiver _receiver;
    private readonly ITransport _transport;
    private readonly string _inboxPrefix;
    // A plain dictionary under a lock: held for a lookup at a time, and unlike ConcurrentDictionary it allocates no node per call.
    private readonly Dictionary<string, PendingReply> _pending = new(StringComparer.Ordinal);

    // Streamed calls, under the same lock: their replies come to their inbox only, many per call.
    private readonly Dictionary<string, ReplyStream> _streams = new(StringComparer.Ordinal);
    private readonly ReplySubjects _replySubjects;
    private ITransportSubscription? _inbox;

    private ReplyRouter(EnvelopeReceiver receiver, ITransport transport, TimeSpan replySubjectLinger, int maxIdleReplySubjects)
    {
        _receiver = receiver;
        _transport = transport;
        _inboxPrefix = transport.NewInboxPrefix();
        _replySubjects = new ReplySubjects(transport, OnReplySubjectMessage, replySubjectLinger, maxIdleReplySubjects);
    }

    public static async ValueTask<ReplyRouter> StartAsync(
        ITransport transport,
        EnvelopeReceiver receiver,
        TimeSpan replySubjectLinger,
        int maxIdleReplySubjects,
        CancellationToken cancellationToken)
    {
        ReplyRouter router = new(receiver, transport, replySubjectLinger, maxIdleReplySubjects);
        router._inbox = await transport.SubscribeInlineAsync(router._inboxPrefix + ".*", router.OnInboxMessage, cancellationToken)
            .ConfigureAwait(false);
        return router;
    }

    public string InboxFor(string requestId) => string.Concat(_inboxPrefix, ".", requestId);

    /// <summary>How many reply subjects the bus listens on (in use or lingering).</summary>
    public int ReplySubjectCount => _replySubjects.Count;

    /// <summary>
    /// Registers a call and takes its share of the subscription to <paramref name="replySubject"/>; the call ends with
    /// <see cref="Forget"/>, whatever way it ends.
    /// </summary>
    public PendingReply Register(string requestId, string querySubject, string replySubject, ContractCallSignals? signals = null)
    {
        PendingReply pending = new(querySubject, _replySubjects.Acquire(replySubject)) { Signals = signals };
        lock (_pending)
        {
            _pending[requestId] = pending;
        }

        return pending;
    }

    /// <summary>Returns once replies published on the call's reply subject reach this bus, so the query may be sent.</summary>
    /// <exception cref="AnaConnectionException">The subscription could not be made: the connection was lost or closed.</exception>
    public ValueTask ListenAsync(PendingReply pending, CancellationToken cancellationToken)
        => _replySubjects.WhenListeningAsync(pending.Listener, cancellationToken);

    /// <summary>Registers a streamed call; it ends with <see cref="ForgetStream"/>, whatever way it ends.</summary>
    public void RegisterStream(string requestId, ReplyStream stream)
    {
        lock (_pending)
        {
            _streams[requestId] = stream;
        }
    }

    public void ForgetStream(string requestId, ReplyStream stream)
    {
        lock (_pending)
        {
            if (_streams.TryGetValue(requestId, out ReplyStream? current) && current == stream)
            {
                _streams.Remove(requestId);
            }
        }

        stream.Abandon();
    }

    public void Forget(string requestId, PendingReply pending)
    {
        TryTake(requestId, replySubject: null, out _);
        _replySubjects.Release(pending.Listener);
    }

    public async ValueTask DisposeAsync()
    {
        PendingReply[] waiting;
        ReplyStream[] streaming;
        lock (_pending)
        {
            waiting = [.. _pending.Values];
            streaming = [.. _streams.Values];
        }

        foreach (PendingReply pending in waiting)
        {
            pending.TryFailDisposed();
        }

        foreach (ReplyStream stream in streaming)
        {
            stream.FailDisposed();
        }

        if (_inbox is not null)
        {
            await _inbox.DisposeAsync().ConfigureAwait(false);
        }

        await _replySubjects.DisposeAsync().ConfigureAwait(false);
    }

    private ValueTask OnInboxMessage(TransportMessage message)
    {
        ReadOnlySpan<char> requestId = message.Subject.AsSpan(_inboxPrefix.Length + 1);
        if (message.IsNoResponders)
        {
            string id = requestId.ToString();
            if (TryTake(id, replySubject: null, out PendingReply? pending))
            {
                pending.TryFailNoResponders();
            }
            else if (FindStream(id) is { } stream)
            {
                stream.FailNoResponders();
            }

            return default;
        }

        if (_receiver.TryParseReply(message, out ReplyFrame reply, out Envelope? other))
        {
            // The inbox names the call; a reply that claims another call's id there is not trusted for either.
            if (reply.RequestId is not null && !requestId.SequenceEqual(reply.RequestId))
            {
                Drop(message.Subject, reply.RequestId);
            }
            else
            {
                Deliver(message, reply.RequestId ?? requestId.ToString(), replySubject: null, reply);
            }
        }
        else if (other is Ack { RequestId: { } ackFor } ack && requestId.SequenceEqual(ackFor))
        {
            // A sign of life of a call still waiting: a heartbeat, or a progress report.
            if (FindSignals(ackFor) is not { } signals || !signals.OnSign(ack))
            {
                Drop(message.Subject, ackFor);
            }
        }
        else if (other is not null)
        {
            _receiver.DropNotAReply(message.Subject, other);
        }

        return default;
    }

    /// <summary>The signals of the call or stream waiting for <paramref name="requestId"/>, if it waits and watches any.</summary>
    private ContractCallSignals? FindSignals(string requestId)
    {
        lock (_pending)
        {
            return _pending.GetValueOrDefault(requestId)?.Signals ?? _streams.GetValueOrDefault(requestId)?.Signals;
        }
    }

    private ValueTask OnReplySubjectMessage(TransportMessage message)
    {
        if (message.IsNoResponders)
        {
            return default;
        }

        if (_receiver.TryParseReply(message, out ReplyFrame reply, out Envelope? other))
        {
            Deliver(message, reply.RequestId, message.Subject, reply);
        }
        else if (other is not null)
        {
            _receiver.DropNotAReply(message.Subject, other);
        }

        return default;
    }

    /// <summary>Hands the reply to its call while the message's bytes are valid: the call copies what it reads later.</summary>
    private void Deliver(TransportMessage message, string? requestId, string? replySubject, in ReplyFrame reply)
    {
        if (requestId is null)
        {
            Drop(message.Subject, requestId);
        }
        else if (TryTake(requestId, replySubject, out PendingReply? pending))
        {
            if (!pending.TryComplete(reply, message.Payload.Span))
            {
                Drop(message.Subject, requestId);
            }
        }
        else if (replySubject is not null || FindStream(requestId) is not { } stream || !stream.Accept(reply, message.Payload.Span))
        {
            // A stream's replies come to its inbox only: one with its id on a reply subject is not trusted.
            Drop(message.Subject, requestId);
        }
    }

    private ReplyStream? FindStream(string requestId)
    {
        lock (_pending)
        {
            return _streams.GetValueOrDefault(requestId);
        }
    }

    /// <summary>
    /// Takes the call waiting for <paramref name="requestId"/>; with <paramref name="replySubject"/>, only if that call
    /// listens there, so that a reply with the right id on another agent's subject neither completes nor ends the call.
    /// </summary>
    private bool TryTake(string requestId, string? replySubject, [NotNullWhen(true)] out PendingReply? pending)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(requestId, out pending)
                || (replySubject is not null && !string.Equals(pending.Listener.Subject, replySubject, StringComparison.Ordinal)))
            {
                pending = null;
                return false;
            }

            _pending.Remove(requestId);
            return true;
        }
    }

    private void Drop(string subject, string? requestId) => _receiver.DropUnmatchedReply(subject, requestId);
}
