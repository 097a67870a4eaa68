using System.Text.Json;
using Ana.Durable;

namespace Ana;

public sealed partial class AgentBus
{
    private DurablePublisher? _durable;
    private DurableWork? _durableWork;

    /// <summary>
    /// The operator's view of the prefix's durable work: its parked messages (list, show, replay, drop) and the state of
    /// its streams and consumers. Its methods fail with <c>jetstream_unavailable</c> where durable publishing does.
    /// </summary>
    public DurableWork DurableWork => _durableWork ??= new DurableWork(this);

    /// <summary>
    /// Publishes a durable one-way message to <paramref name="agent"/>'s <paramref name="topic"/>: a <c>query</c>
    /// envelope on <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>, stored by the prefix's JetStream work stream until
    /// one of the agent's servers takes it, even when none runs now. Returns once JetStream has confirmed storage.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="idempotencyKey"/> each call stores a new message; with one, the message's request id is
    /// the key and JetStream stores it once within the stream's duplicate window (<see cref="DurableOptions.DuplicateWindow"/>),
    /// so a caller may publish it again after <c>not_stored</c>, or after its own restart. The caller makes no JetStream
    /// API request: the work stream is created by the agent's servers or by an operator (docs/durable.md).
    /// </remarks>
    /// <param name="agent">The agent the message is for.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="data">The message's <c>data</c> (a contract method's arguments).</param>
    /// <param name="idempotencyKey">The request id to store the message under, <c>[A-Za-z0-9_-]{1,64}</c>; a new one when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the message may have been stored.</param>
    /// <returns>The stream, its sequence number and whether it was a duplicate.</returns>
    /// <exception cref="ArgumentException"><paramref name="agent"/> or <paramref name="topic"/> is not valid, or <paramref name="idempotencyKey"/> is not of the allowed form.</exception>
    /// <exception cref="AnaException">
    /// <c>jetstream_unavailable</c>: the server runs without JetStream (or the bus is on <c>memory://</c>); <c>not_stored</c>:
    /// no stream stores the subject, JetStream refused the message, or it did not confirm storage within
    /// <see cref="DurableOptions.PublishTimeout"/>; <see cref="AnaPermissionException"/>: the server refused the publish
    /// (the user may not publish on the work subject), said once the wait for JetStream's answer ends.
    /// </exception>
    public async ValueTask<DurableReceipt> EnqueueDurableAsync(
        string agent, string topic, JsonElement? data = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        string subject = Subjects.Build(agent, SubjectVerb.Work, topic);
        ValidateIdempotencyKey(idempotencyKey);
        DurablePublisher publisher = Durable();
        string requestId = idempotencyKey ?? RequestIds.New();
        using PooledBufferWriter query = _publisher.WriteQuery(agent, topic, fields: null, requestId, CallData.Of(data), timeoutSeconds: null, default);
        DurableReceipt receipt = await publisher.PublishAsync(
            subject, DurableNames.MessageId(agent, topic, requestId), requestId, query.WrittenMemory, Options.Durable.PublishTimeout, cancellationToken).ConfigureAwait(false);
        _publisher.Stored(subject, query.WrittenMemory.Span);
        return receipt;
    }

    /// <summary>
    /// Stores a durable call to <paramref name="agent"/>'s <paramref name="topic"/> in the prefix's JetStream work stream
    /// (as <see cref="EnqueueDurableAsync"/> does, with <c>timeout_s</c>) and waits for its reply, which one of the
    /// agent's servers publishes on the agent's <c>reply</c> subject once it has taken the call, now or after a restart.
    /// The bus listens there before it stores the query.
    /// </summary>
    /// <remarks>
    /// There is no "no responders" for a durable call: with no server of the agent running, the call waits, stored,
    /// until its timeout. The timeout is counted from now; a server drops the stored query without running it once
    /// <c>timeout_s</c> has passed since JetStream stored it. A timeout shorter than <see cref="DurableOptions.AckWait"/>
    /// plus the handler's time is never rescued by a redelivery after a worker died: durable calls default to
    /// <see cref="DurableOptions.DefaultCallTimeout"/>.
    /// </remarks>
    /// <param name="agent">The agent to call.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="data">The query's <c>data</c> (a contract method's arguments).</param>
    /// <param name="timeout">How long to wait for the reply; <see cref="DurableOptions.DefaultCallTimeout"/> when <see langword="null"/>.</param>
    /// <param name="idempotencyKey">The request id to store the call under, <c>[A-Za-z0-9_-]{1,64}</c>, so that calling again after <c>not_stored</c> stores it once; a new one when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the call stays stored, and a server running it is told to cancel it.</param>
    /// <returns>The reply, or <see langword="null"/> when none came within the timeout.</returns>
    /// <exception cref="ArgumentException"><paramref name="agent"/> or <paramref name="topic"/> is not valid, or <paramref name="idempotencyKey"/> is not of the allowed form.</exception>
    /// <exception cref="AnaException">
    /// <c>jetstream_unavailable</c> or <c>not_stored</c>, as for <see cref="EnqueueDurableAsync"/> (the confirmation of
    /// storage must come within the timeout).
    /// </exception>
    public ValueTask<Reply?> QueryDurableAndWaitAsync(
        string agent, string topic, JsonElement? data = null, TimeSpan? timeout = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        string subject = Subjects.Build(agent, SubjectVerb.Work, topic);
        ValidateIdempotencyKey(idempotencyKey);
        TimeSpan wait = CallTimeouts.For(timeout ?? Options.Durable.DefaultCallTimeout, client: null, Options);
        if (wait == TimeSpan.Zero)
        {
            return new ValueTask<Reply?>(result: null);
        }

        return _calls.SendAndWaitAsync<ReplyOrNull, Reply?, StoredQuery>(
            new StoredQuery(Durable(), idempotencyKey, cancellationToken),
            default,
            subject,
            Subjects.Build(agent, SubjectVerb.Reply, topic),
            agent,
            topic,
            CallData.Of(data),
            fields: null,
            wait,
            signals: null,
            cancellationToken);
    }

    /// <summary>A durable contract call: stored, then its reply waited for within the method's timeout or <see cref="DurableOptions.DefaultCallTimeout"/>.</summary>
    internal ValueTask<TResult> CallDurableAsync<TOutcome, TResult>(
        TOutcome outcome, string workSubject, string replySubject, string agent, string topic, CallData arguments, TimeSpan? timeout, AnaCallOptions? clientOptions, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        TimeSpan wait = CallTimeouts.For(timeout ?? Options.Durable.DefaultCallTimeout, clientOptions, Options);
        if (wait == TimeSpan.Zero)
        {
            return new ValueTask<TResult>(outcome.TimedOut(agent, topic, wait));
        }

        ThrowIfDisposed();
        return _calls.SendAndWaitAsync<TOutcome, TResult, StoredQuery>(
            new StoredQuery(Durable(), idempotencyKey: null, cancellationToken), outcome, workSubject, replySubject, agent, topic, arguments, fields: null, wait, signals: null, cancellationToken);
    }

    /// <summary>A durable one-way contract call: returns once JetStream has confirmed storage.</summary>
    internal async ValueTask SendDurableAsync(string workSubject, string agent, string topic, CallData arguments, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        DurablePublisher publisher = Durable();
        string requestId = RequestIds.New();
        using PooledBufferWriter query = _publisher.WriteQuery(agent, topic, fields: null, requestId, arguments, timeoutSeconds: null, default);
        await publisher.PublishAsync(
            workSubject, DurableNames.MessageId(agent, topic, requestId), requestId, query.WrittenMemory, Options.Durable.PublishTimeout, cancellationToken).ConfigureAwait(false);
        _publisher.Stored(workSubject, query.WrittenMemory.Span);
    }

    private static void ValidateIdempotencyKey(string? idempotencyKey)
    {
        if (idempotencyKey is not null && !DurableNames.IsIdempotencyKey(idempotencyKey))
        {
            throw new ArgumentException($"The idempotency key '{idempotencyKey}' is not valid: 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.", nameof(idempotencyKey));
        }
    }

    /// <summary>The bus's JetStream publisher; <c>jetstream_unavailable</c> at once when there is no JetStream to publish to.</summary>
    internal DurablePublisher Durable()
    {
        if (_durable is { } publisher)
        {
            return publisher;
        }

        if (_transport is not Transport.Nats.NatsTransport nats)
        {
            throw new AnaException(AnaErrorCodes.JetStreamUnavailable, "Durable work needs JetStream on a NATS server; memory:// has none. Use --nats / AgentBusOptions.Url with a server started with -js.");
        }

        if (nats.Connection.ServerInfo is { JetStreamAvailable: false })
        {
            throw new AnaException(AnaErrorCodes.JetStreamUnavailable, "The NATS server runs without JetStream (start it with -js, or enable JetStream for the account): durable work cannot be stored.");
        }

        Interlocked.CompareExchange(ref _durable, new DurablePublisher(nats, _counters.Durable), null);
        return _durable;
    }
}
