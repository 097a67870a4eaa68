using System.Runtime.CompilerServices;
using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana;

/// <summary>
/// The one path of a call that waits for its reply: register the call, listen on the responder's <c>reply</c>
/// subject, publish the query with the call's inbox, wait. What the reply or a timeout becomes is the
/// <see cref="ICallOutcome{TResult}"/>'s business.
/// </summary>
internal sealed class RequestReply
{
    private readonly EnvelopePublisher _publisher;
    private readonly ReplyRouter _replies;
    private readonly SubjectScheme _subjects;
    private readonly string _identity;
    private readonly Deadlines _deadlines = new();

    public RequestReply(EnvelopePublisher publisher, ReplyRouter replies, SubjectScheme subjects, string identity)
    {
        _publisher = publisher;
        _replies = replies;
        _subjects = subjects;
        _identity = identity;
    }

    /// <summary>
    /// Listens, publishes and waits, all within one deadline (shared with the calls that end in the same few
    /// milliseconds: see <see cref="Deadlines"/>): while the connection is down a publish waits for the
    /// reconnect, so the deadline has to bound it too, or a call could outlive its timeout by the length of an outage.
    /// </summary>
    /// <exception cref="AnaNoRespondersException">No agent listens on <paramref name="subject"/>.</exception>
    /// <exception cref="AnaConnectionException">The connection was lost or closed in a way that ended the call.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, and only then.</exception>
    /// <remarks>
    /// Its state machine, the largest object of a call, comes from a pool (<see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>)
    /// and goes back when the call's result is read: as with every <see cref="ValueTask{TResult}"/>, the result is
    /// awaited once, which every caller of this method does.
    /// </remarks>
    public ValueTask<TResult> SendAndWaitAsync<TOutcome, TResult>(
        TOutcome outcome,
        string subject,
        string replySubject,
        string to,
        string text,
        CallData data,
        IReadOnlyList<string>? fields,
        TimeSpan timeout,
        ContractCallSignals? signals,
        CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
        => SendAndWaitAsync<TOutcome, TResult, PublishedQuery>(default, outcome, subject, replySubject, to, text, data, fields, timeout, signals, cancellationToken);

    /// <summary>
    /// As <see cref="SendAndWaitAsync{TOutcome, TResult}"/>, with the query sent by <paramref name="sender"/>: published
    /// with the call's inbox (<see cref="PublishedQuery"/>), or stored for the agent's servers to take (a durable call).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> SendAndWaitAsync<TOutcome, TResult, TSender>(
        TSender sender,
        TOutcome outcome,
        string subject,
        string replySubject,
        string to,
        string text,
        CallData data,
        IReadOnlyList<string>? fields,
        TimeSpan timeout,
        ContractCallSignals? signals,
        CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
        where TSender : struct, IQuerySender
    {
        CancellationToken deadline = _deadlines.After(timeout);

        // A caller's token that can fire needs a source of its own, linked to both; without one, the shared deadline does.
        CancellationTokenSource? linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline) : null;
        CancellationToken ended = linked?.Token ?? deadline;
        string requestId = sender.RequestId ?? RequestIds.New();
        PendingReply pending = _replies.Register(requestId, subject, replySubject, signals);
        signals?.Start(pending, to, text, _deadlines);
        bool sent = false;
        try
        {
            using CancellationTokenRegistration cancel = pending.CancelWhen(ended);
            await _replies.ListenAsync(pending, ended).ConfigureAwait(false);
            sent = true;
            await sender.SendAsync(_publisher, subject, _replies.InboxFor(requestId), to, text, fields, requestId, data, timeout, signals?.Extras ?? default, ended)
                .ConfigureAwait(false);
            ReceivedReply reply = await pending.Reply.ConfigureAwait(false);
            TResult result = outcome.Replied(reply, to, text);
            if (signals is not null)
            {
                // Every report that came before the reply reaches the caller's IProgress<T> before the result does.
                await signals.DrainAsync().ConfigureAwait(false);
            }

            return result;
        }
        catch (AnaTimeoutException) when (sent && signals is not null)
        {
            // No sign of life within the heartbeat deadline: the agent is told, in case it is alive but unheard.
            Cancel(subject, requestId);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up before its deadline: the agent serving the call (if the query went out) is told, and its
            // handler's token fires.
            if (sent)
            {
                Cancel(subject, requestId);
            }

            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return outcome.TimedOut(to, text, timeout);
        }
        catch (OperationCanceledException ex)
        {
            // Nobody cancelled this call: the client gave up an operation of its own, as it does when the connection drops.
            throw new AnaConnectionException($"The call to '{subject}' failed: the connection to the server was lost.", ex);
        }
        finally
        {
            _replies.Forget(requestId, pending);
            signals?.End();
            linked?.Dispose();
        }
    }

    /// <summary>
    /// Calls <paramref name="subject"/> for a stream of replies: publishes the query with <c>stream_window</c>
    /// <paramref name="window"/> and yields each item as <paramref name="outcome"/> reads it, in order, each once; grants
    /// credit as items are taken (half a window at a time), and tells the agent when the caller stops before the stream
    /// ended (a <c>break</c>, an exception, a cancellation), so that its iterator's token fires and its <c>finally</c> runs.
    /// <paramref name="timeout"/> bounds the whole stream, as it bounds a call; with a <paramref name="heartbeat"/>, the
    /// stream also fails when no item or heartbeat comes for that long (its agent sends one every third of it).
    /// </summary>
    /// <exception cref="AnaRemoteException">The agent ended the stream with an error.</exception>
    /// <exception cref="AnaTimeoutException">The stream did not end within <paramref name="timeout"/>, or gave no sign of life within <paramref name="heartbeat"/>.</exception>
    /// <exception cref="AnaNoRespondersException">No agent listens on <paramref name="subject"/>.</exception>
    /// <exception cref="AnaException">The agent broke the stream's protocol (a gap, or more items than the window); code <see cref="AnaErrorCodes.BadResponse"/>.</exception>
    public async IAsyncEnumerable<TItem> StreamAsync<TOutcome, TItem>(
        TOutcome outcome,
        string subject,
        string to,
        string topic,
        string text,
        CallData data,
        int window,
        TimeSpan timeout,
        TimeSpan? heartbeat,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TItem>
    {
        CancellationToken deadline = _deadlines.After(timeout);
        using CancellationTokenSource ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
        string requestId = RequestIds.New();
        ContractCallSignals? signals = heartbeat is { } idle ? ContractCallSignals.Heartbeat(idle) : null;
        ReplyStream stream = new(subject, to, topic, window, ended.Token) { Signals = signals };
        _replies.RegisterStream(requestId, stream);
        signals?.Start(stream, to, topic, _deadlines);
        StreamGuard guard = new(to, topic, timeout, deadline, cancellationToken);
        string? control = CallControl.SubjectOf(_subjects, _identity, subject);
        int grantEvery = Math.Max(1, window / 2), taken = 0;
        try
        {
            await guard.RunAsync(
                _publisher.PublishQueryAsync(subject, _replies.InboxFor(requestId), to, text, fields: null, requestId, data, timeout.TotalSeconds, new QueryExtras(StreamWindow: window, HeartbeatSeconds: heartbeat?.TotalSeconds), ended.Token))
                .ConfigureAwait(false);
            while (true)
            {
                StreamEvent next = await guard.RunAsync(stream.ReadAsync()).ConfigureAwait(false);
                if (!next.IsItem)
                {
                    if (next.Failure is { } failure)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                    }

                    yield break;
                }

                TItem item = outcome.Replied(next.Reply, to, topic);
                if (++taken >= grantEvery && !stream.EndedByResponder)
                {
                    await guard.RunAsync(GrantAsync(control, subject, requestId, taken, ended.Token)).ConfigureAwait(false);
                    taken = 0;
                }

                yield return item;
            }
        }
        finally
        {
            signals?.End();
            _replies.ForgetStream(requestId, stream);
            if (!stream.EndedByResponder)
            {
                Cancel(control, subject, requestId);
            }
        }
    }

    private ValueTask GrantAsync(string? control, string querySubject, string requestId, int credit, CancellationToken cancellationToken)
        => control is not null
            ? _publisher.PublishAsync(control, null, new Ack(_publisher.Origin()) { AckFor = querySubject, RequestId = requestId, Credit = credit }, cancellationToken)
            : default;

    /// <summary>
    /// Tells the agent serving <paramref name="requestId"/> that its caller stopped waiting, without waiting for the
    /// publish (the caller is leaving; while the connection is down the message would wait for it, and may be lost).
    /// </summary>
    private void Cancel(string querySubject, string requestId) => Cancel(CallControl.SubjectOf(_subjects, _identity, querySubject), querySubject, requestId);

    /// <summary>As <see cref="Cancel(string, string)"/>, on a control subject found already (<see langword="null"/>: the call cannot be steered).</summary>
    private void Cancel(string? control, string querySubject, string requestId)
    {
        if (control is null)
        {
            return;
        }

        Ack cancel = new(_publisher.Origin()) { AckFor = querySubject, RequestId = requestId, Cancel = true };
        _ = SendAsync(_publisher, control, cancel);

        static async Task SendAsync(EnvelopePublisher publisher, string control, Ack cancel)
        {
            try
            {
                using CancellationTokenSource bound = new(TimeSpan.FromSeconds(5));
                await publisher.PublishAsync(control, null, cancel, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or AnaException)
            {
                // Best effort: the agent's own deadline for the call ends it anyway.
            }
        }
    }

    /// <summary>A query that no reply is waited for: a request id, no <c>timeout_s</c>.</summary>
    public Query NewQuery(string to, string text, JsonElement? data, IReadOnlyList<string>? fields)
        => new(_publisher.Origin())
        {
            To = to,
            Text = text,
            Fields = fields,
            RequestId = RequestIds.New(),
            Data = data,
        };

    /// <summary>Publishes a query that no reply is waited for (a one-way contract call): a request id, no <c>timeout_s</c>.</summary>
    public ValueTask SendAsync(string subject, string to, string text, CallData data, CancellationToken cancellationToken)
        => _publisher.PublishQueryAsync(subject, replyTo: null, to, text, fields: null, RequestIds.New(), data, timeoutSeconds: null, default, cancellationToken);

    /// <summary>
    /// A stream's steps, each with a cancellation turned into what it means: the caller's, a timeout, or a lost connection.
    /// A step that completed costs nothing; one that waits (a reader that keeps up waits for every item) takes its state
    /// machine from a pool.
    /// </summary>
    private readonly record struct StreamGuard(string To, string Topic, TimeSpan Timeout, CancellationToken Deadline, CancellationToken Caller)
    {
        public ValueTask<T> RunAsync<T>(ValueTask<T> step) => step.IsCompletedSuccessfully ? step : AwaitAsync(step);

        public ValueTask RunAsync(ValueTask step) => step.IsCompletedSuccessfully ? step : AwaitAsync(step);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<T> AwaitAsync<T>(ValueTask<T> step)
        {
            try
            {
                return await step.ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!Caller.IsCancellationRequested)
            {
                throw Translate(ex);
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask AwaitAsync(ValueTask step)
        {
            try
            {
                await step.ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!Caller.IsCancellationRequested)
            {
                throw Translate(ex);
            }
        }

        private Exception Translate(OperationCanceledException ex)
            => Deadline.IsCancellationRequested
                ? new AnaTimeoutException(To, Topic, Timeout)
                : new AnaConnectionException($"The stream from {To}/{Topic} failed: the connection to the server was lost.", ex);
    }
}
