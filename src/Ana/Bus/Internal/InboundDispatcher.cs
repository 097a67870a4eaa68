using System.Collections.Concurrent;
using System.Diagnostics;
using Ana.Micro;
using Ana.Telemetry;
using Ana.Transport;
using NATS.Client.Core;

namespace Ana;

/// <summary>
/// Feeds the envelopes of one subscription to a handler: parses each message on the subscription's pump, then runs
/// the handler on the thread pool, at most <c>MaxConcurrentHandlers</c> at once. While every slot is busy the pump
/// waits, so excess messages queue in the transport's bounded buffer instead of in memory without limit.
/// </summary>
/// <remarks>
/// Two ways to stop. <see cref="DisposeAsync"/> stops taking queries, cancels the running handlers' tokens, waits for
/// them at most the shutdown grace, and drops what was queued. <see cref="DrainAsync"/> stops taking queries, lets the
/// running handlers finish (their tokens untouched, their replies sent), answers every query that was queued but not
/// started with an <see cref="AnaErrorCodes.Unavailable"/> error, and then disposes. Both first stop admitting: a pump
/// waiting for a slot is released at once, since the handlers holding the slots may only end when told to.
/// </remarks>
internal sealed class InboundDispatcher : IAsyncDisposable
{
    private const string UnavailableMessage = "The agent is shutting down: this query was not started.";
    private const string OverloadedMessage = "The agent is busy (every handler slot taken, its queue full): this query was not started.";
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private readonly EnvelopeReceiver _receiver;
    private readonly Responder _responder;
    private readonly TimeSpan _shutdownGrace;
    private readonly EnvelopeHandler _handler;
    private readonly ServedMethods? _methods;
    private readonly MicroService? _micro;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrency;
    private readonly int _maxQueue;
    private readonly TimeSpan _clockSkewAllowance;
    private readonly ConcurrentQueue<HandlerWork> _queue = new();
    private int _queued;
    private readonly CancellationTokenSource _admitting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Deadlines _deadlines;
    private ITransportSubscription? _subscription;
    private ITransportSubscription? _bareSubscription;
    private CallControl? _control;
    private Task? _handlersFinished;
    private TaskCompletionSource? _drained;
    private CancellationToken _refusalDeadline;
    private int _draining;
    private int _disposed;

    private InboundDispatcher(EnvelopeReceiver receiver, Responder responder, TimeSpan shutdownGrace, string subject, EnvelopeHandler handler, ServedMethods? methods, MicroService? micro, Admission admission)
    {
        _methods = methods;
        _micro = micro;
        _receiver = receiver;
        _responder = responder;
        _shutdownGrace = shutdownGrace;
        Subject = subject;
        _handler = handler;
        _maxConcurrency = admission.MaxConcurrency;
        _maxQueue = admission.MaxQueue;
        _clockSkewAllowance = admission.ClockSkewAllowance;
        _slots = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
        _deadlines = new Deadlines(_stopping.Token);
    }

    public string Subject { get; }

    /// <summary>
    /// Subscribes to <paramref name="subject"/> and, when given, to <paramref name="bareSubject"/> (an agent's query
    /// subject without a topic, which <c>query.&gt;</c> does not match) in the same queue group, both feeding the same
    /// handler slots; disposing waits up to <paramref name="shutdownGrace"/> for running handlers once their tokens are
    /// cancelled. A server that refuses the bare subject (permissions written for <c>query.&gt;</c> only) leaves the
    /// dispatcher serving <paramref name="subject"/> alone, with a warning. <paramref name="methods"/> names the calls of a
    /// contract server in telemetry; without it, queries are traced as messages. <paramref name="micro"/>, a served
    /// contract's NATS micro service, gets the statistics of every call to one of its endpoints. With
    /// <paramref name="controlSubject"/>, callers can cancel their calls and take streams (see <see cref="CallControl"/>);
    /// a server that refuses it leaves the calls served without control, with a warning.
    /// </summary>
    public static async ValueTask<InboundDispatcher> StartAsync(
        ITransport transport,
        EnvelopeReceiver receiver,
        Responder responder,
        TimeSpan shutdownGrace,
        string subject,
        string? bareSubject,
        string? controlSubject,
        string? queueGroup,
        EnvelopeHandler handler,
        ServedMethods? methods,
        MicroService? micro,
        Admission admission,
        CancellationToken cancellationToken)
    {
        InboundDispatcher dispatcher = new(receiver, responder, shutdownGrace, subject, handler, methods, micro, admission);
        Task<CallControl?> control = controlSubject is null
            ? Task.FromResult<CallControl?>(null)
            : CallControl.StartAsync(transport, receiver, responder.Subjects, controlSubject, cancellationToken).AsTask();

        // Both at once: the transport confirms each with a round trip to the server, and the two trips overlap.
        Task<ITransportSubscription> main = transport.SubscribeAsync(subject, queueGroup, dispatcher.OnMessageAsync, cancellationToken).AsTask();
        Task<ITransportSubscription>? bare = bareSubject is null
            ? null
            : transport.SubscribeAsync(bareSubject, queueGroup, dispatcher.OnMessageAsync, cancellationToken).AsTask();
        try
        {
            await Task.WhenAll(bare is null ? [main, control] : [main, bare, control]).ConfigureAwait(false);
        }
        catch
        {
            // Looked at below, each subscription's outcome on its own.
        }

        dispatcher._subscription = main.IsCompletedSuccessfully ? main.Result : null;
        dispatcher._bareSubscription = bare is { IsCompletedSuccessfully: true } ? bare.Result : null;
        dispatcher._control = control.IsCompletedSuccessfully ? control.Result : null;
        Exception? failure = main.IsCompletedSuccessfully ? null : main.Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
        if (failure is null && !control.IsCompletedSuccessfully)
        {
            failure = control.Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
        }

        if (failure is null && bare is { IsCompletedSuccessfully: false })
        {
            if (bare.Exception?.InnerException is AnaPermissionException refused)
            {
                Log.BareSubjectRefused(receiver.Logger, bareSubject!, subject, refused.ServerError);
            }
            else
            {
                failure = bare.Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
            }
        }

        if (failure is not null)
        {
            await dispatcher.DisposeAsync().ConfigureAwait(false);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return dispatcher;
    }

    /// <summary>How many transport subscriptions the dispatcher holds (one, or two with the bare subject).</summary>
    public int TransportSubscriptions => (_subscription is null ? 0 : 1) + (_bareSubscription is null ? 0 : 1);

    /// <summary>
    /// Stops taking queries, lets the running handlers finish and answers the queued ones with
    /// <see cref="AnaErrorCodes.Unavailable"/>, all until <paramref name="cancellationToken"/> fires; then disposes.
    /// A drain started while another runs waits for that one; on a disposed dispatcher it does nothing.
    /// </summary>
    public ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return default;
        }

        if (Interlocked.Exchange(ref _draining, 1) != 0)
        {
            return new ValueTask(Volatile.Read(ref _drained)?.Task ?? Task.CompletedTask);
        }

        TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        return DrainCoreAsync(drained, cancellationToken);
    }

    public ValueTask DisposeAsync() => DisposeCoreAsync();

    private async ValueTask DrainCoreAsync(TaskCompletionSource drained, CancellationToken cancellationToken)
    {
        try
        {
            _refusalDeadline = cancellationToken;
            await _admitting.CancelAsync().ConfigureAwait(false);
            await RefuseQueuedAsync().ConfigureAwait(false);
            if (_subscription is not null)
            {
                // Both at once: queries on either subject that reached this process before the drain began are handled.
                Task wildcard = _subscription.DrainAsync(cancellationToken).AsTask();
                Task bare = _bareSubscription?.DrainAsync(cancellationToken).AsTask() ?? Task.CompletedTask;
                await Task.WhenAll(wildcard, bare).ConfigureAwait(false);
            }

            if (!await WaitForHandlersAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.DrainTimedOut(_receiver.Logger, Subject);
            }

            await DisposeCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            drained.TrySetResult();
        }
    }

    private async ValueTask DisposeCoreAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Admission first, then the handlers' tokens: a pump waiting for a slot must not wait on handlers that only
        // end when cancelled, or disposing the subscription (which waits for its pump) would never return.
        await _admitting.CancelAsync().ConfigureAwait(false);
        await RefuseQueuedAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (_bareSubscription is not null)
        {
            await _bareSubscription.DisposeAsync().ConfigureAwait(false);
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        using CancellationTokenSource grace = new(_shutdownGrace);
        if (!await WaitForHandlersAsync(grace.Token).ConfigureAwait(false))
        {
            Log.HandlersDidNotStop(_receiver.Logger, Subject, _shutdownGrace);
        }
    }

    /// <summary>
    /// Waits until every handler admitted so far has ended, or <paramref name="cancellationToken"/> fires. One wait,
    /// started at the first stop (admission already closed) and shared by drain and dispose, takes every slot as the
    /// handlers give them back.
    /// </summary>
    private async ValueTask<bool> WaitForHandlersAsync(CancellationToken cancellationToken)
    {
        Task finished = LazyInitializer.EnsureInitialized(ref _handlersFinished, TakeEverySlotAsync);
        try
        {
            await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task TakeEverySlotAsync()
    {
        for (int taken = 0; taken < _maxConcurrency; taken++)
        {
            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask OnMessageAsync(TransportMessage message)
    {
        if (message.IsNoResponders || !_receiver.TryParse(message, out Envelope? envelope)
            || (envelope is Query && !_responder.TryAccept(message.Subject, message.ReplyTo)))
        {
            return;
        }

        HandlerWork work = new(this, envelope, message.Subject, message.ReplyTo, message.Headers, Environment.TickCount64);
        if (!_admitting.IsCancellationRequested && _slots.Wait(0))
        {
            // A slot freed while admission closed can still be taken here; the check after it sees the closing.
            if (!_admitting.IsCancellationRequested)
            {
                Start(work);
                return;
            }

            _slots.Release();
        }
        else if (envelope is Query && !_admitting.IsCancellationRequested)
        {
            // Every slot is busy: the query waits in the queue, or is refused at once when the queue is full.
            if (!TryEnqueue(work))
            {
                await OverloadAsync(work).ConfigureAwait(false);
                return;
            }

            StartQueued();

            // A drain or dispose that began while it was being queued has already emptied the queue once.
            if (_admitting.IsCancellationRequested)
            {
                await RefuseQueuedAsync().ConfigureAwait(false);
            }

            return;
        }
        else if (!_admitting.IsCancellationRequested)
        {
            // Anything but a query waits for a slot (nobody waits for an answer, and nothing is refused): the subscription
            // reads no further meanwhile, so the excess queues in the transport's bounded buffer.
            try
            {
                await _slots.WaitAsync(_admitting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await RefuseAsync(work).ConfigureAwait(false);
                return;
            }

            // A slot freed while admission closed can still reach this waiter: SemaphoreSlim removes a cancelled waiter
            // only when its continuation runs, and a release in between grants it the slot.
            if (!_admitting.IsCancellationRequested)
            {
                Start(work);
                return;
            }

            _slots.Release();
        }

        await RefuseAsync(work).ConfigureAwait(false);
    }

    /// <summary>How many handler slots are free now: how many stored messages a durable pull may ask for. None once stopping.</summary>
    public int FreeSlots => _admitting.IsCancellationRequested ? 0 : _slots.CurrentCount;

    /// <summary>Returns once a handler slot is free, without taking it (a durable pull then asks for what the free slots can take).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired, or the dispatcher is stopping.</exception>
    public async ValueTask WaitForFreeSlotAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _admitting.Token);
        await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
        _slots.Release();

        // Given back as a handler's slot would be: a query queued meanwhile takes it first.
        StartQueued();
    }

    /// <summary>
    /// Runs the handler of a stored message JetStream delivered (see <see cref="Durable.WorkPuller"/>) in a handler slot:
    /// at once when one is free, else when one frees, the message held and kept in progress meanwhile. Returns once the
    /// message has its slot; there, its topic first decides whether it runs (<see cref="Durable.WorkTopic.AdmitAsync"/>:
    /// what is unreadable, already done, out of attempts or expired is settled instead), so that the completion record's
    /// lookup of one message never holds up the next. A message that arrives while stopping is handed back at once, so
    /// that another server takes it.
    /// </summary>
    public async ValueTask AcceptWorkAsync(Durable.WorkDelivery delivery)
    {
        if (!_admitting.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(_admitting.Token).ConfigureAwait(false);
                if (!_admitting.IsCancellationRequested)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Dispatcher.AdmitAndRunAsync(state.Delivery), (Dispatcher: this, Delivery: delivery), preferLocal: false);
                    return;
                }

                _slots.Release();
            }
            catch (OperationCanceledException)
            {
            }
        }

        await delivery.ReleaseAsync(TimeSpan.Zero).ConfigureAwait(false);
        delivery.Dispose();
    }

    /// <summary>In the slot taken for <paramref name="delivery"/>: runs its handler if its topic admits it, else gives the slot back.</summary>
    private async Task AdmitAndRunAsync(Durable.WorkDelivery delivery)
    {
        Envelope? envelope = _receiver.TryParse(new TransportMessage(delivery.Subject, null, delivery.Payload, IsNoResponders: false, delivery.Headers), out Envelope? parsed)
            ? parsed
            : null;
        bool admitted = false;
        try
        {
            admitted = await delivery.Topic.AdmitAsync(delivery, envelope).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not settled: JetStream delivers it again after its ack wait.
            Durable.DurableLog.NotAdmitted(delivery.Topic.Logger, delivery.Subject, ex.Message);
        }
        finally
        {
            if (!admitted)
            {
                delivery.Dispose();
                EndHandler();
            }
        }

        if (admitted)
        {
            await RunHandlerAsync(new HandlerWork(this, envelope!, delivery.Subject, null, delivery.Headers, Environment.TickCount64, delivery)).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/>'s handler on the thread pool, in a slot already taken for it.</summary>
    private static void Start(HandlerWork work)
        => ThreadPool.UnsafeQueueUserWorkItem(static work => _ = work.Dispatcher.RunHandlerAsync(work), work, preferLocal: false);

    private bool TryEnqueue(HandlerWork work)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueue)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _queue.Enqueue(work);
        return true;
    }

    private bool TryDequeue(out HandlerWork work)
    {
        if (_queue.TryDequeue(out work))
        {
            Interlocked.Decrement(ref _queued);
            return true;
        }

        return false;
    }

    /// <summary>Starts queued queries while there are free slots (after a query was queued, or a slot was given back).</summary>
    private void StartQueued()
    {
        while (!_admitting.IsCancellationRequested && Volatile.Read(ref _queued) > 0 && _slots.Wait(0))
        {
            if (!TryDequeue(out HandlerWork next))
            {
                // Counted but not yet in the queue: whoever is queuing it calls this again once it is.
                _slots.Release();
                return;
            }

            Start(next);
        }
    }

    /// <summary>
    /// A handler's slot, once it ends: handed on to the first query waiting in the queue, or given back. While stopping,
    /// nothing queued starts (a drain answers it, a dispose drops it).
    /// </summary>
    private void EndHandler()
    {
        if (!_admitting.IsCancellationRequested && TryDequeue(out HandlerWork next))
        {
            Start(next);
            return;
        }

        _slots.Release();
        StartQueued();
    }

    /// <summary>The queries that waited in the queue when admission closed: answered <see cref="AnaErrorCodes.Unavailable"/> when draining, dropped when disposing.</summary>
    private async ValueTask RefuseQueuedAsync()
    {
        while (TryDequeue(out HandlerWork work))
        {
            await RefuseAsync(work).ConfigureAwait(false);
        }
    }

    /// <summary>A query refused at once because every slot is busy and the queue is full: answered <see cref="AnaErrorCodes.Overloaded"/>, counted.</summary>
    private async ValueTask OverloadAsync(HandlerWork work)
    {
        _receiver.Counters.OverloadedQuery();
        Log.QueryOverloaded(_receiver.Logger, work.Subject, _maxConcurrency, Volatile.Read(ref _queued));
        _micro?.Find(work.Subject)?.Record(Stopwatch.GetTimestamp(), AnaErrorCodes.Overloaded, OverloadedMessage);
        InboundContext context = new(_responder, work.Envelope, work.Subject, work.ReplyTo, CancellationToken.None);
        try
        {
            await context.ReplyErrorAsync(AnaErrorCodes.Overloaded, OverloadedMessage, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RefusalFailed(_receiver.Logger, work.Subject, ex);
        }
    }

    /// <summary>
    /// Whether the caller of <paramref name="query"/> has stopped waiting: its <c>timeout_s</c> has passed since it reached
    /// this bus (the caller's clock started before it sent), or since its <c>ts</c> by more than the clock-skew allowance
    /// (it may have waited in the network or the client's buffer before that).
    /// </summary>
    private bool HasExpired(Query query, double timeoutSeconds, long receivedAt)
    {
        TimeSpan timeout = CallTimeouts.FromPeerSeconds(timeoutSeconds);
        if (Environment.TickCount64 - receivedAt >= (long)timeout.TotalMilliseconds)
        {
            return true;
        }

        return DateTimeOffset.UtcNow - query.Ts - timeout > _clockSkewAllowance;
    }

    /// <summary>A query that arrived while stopping: answered <see cref="AnaErrorCodes.Unavailable"/> when draining, dropped when disposing.</summary>
    private async ValueTask RefuseAsync(HandlerWork work)
    {
        if (work.Envelope is not Query || Volatile.Read(ref _draining) == 0 || _refusalDeadline.IsCancellationRequested)
        {
            return;
        }

        string subject = work.Subject;
        InboundContext context = new(_responder, work.Envelope, subject, work.ReplyTo, _refusalDeadline);
        Instrumentation.Refused.Add(1);
        try
        {
            await context.ReplyErrorAsync(AnaErrorCodes.Unavailable, UnavailableMessage, _refusalDeadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RefusalFailed(_receiver.Logger, subject, ex);
        }
    }

    private async Task RunHandlerAsync(HandlerWork work)
    {
        (Envelope envelope, string subject, string? replyTo, NatsHeaders? headers) = (work.Envelope, work.Subject, work.ReplyTo, work.Headers);
        IStoredWork? stored = work.Stored;
        if (stored is null && envelope is Query { TimeoutSeconds: > 0 and double waitedFor } waited && HasExpired(waited, waitedFor, work.ReceivedAt))
        {
            _receiver.Counters.ExpiredQuery();
            Log.QueryExpired(_receiver.Logger, subject, waited.RequestId);
            EndHandler();
            return;
        }

        InboundCall call = envelope is Query inbound && Instrumentation.IsObserved
            ? InboundCall.Start(_methods, inbound, subject, replyTo, headers)
            : default;
        MicroEndpoint? endpoint = _micro?.Find(subject);
        long started = endpoint is null ? 0 : Stopwatch.GetTimestamp();
        InboundContext? context = null;
        ServedCall? served = null;
        Exception? failure = null;
        try
        {
            CancellationToken token = _stopping.Token;
            DateTimeOffset? deadlineAt = null;
            if (stored is not null && envelope is Query storedQuery)
            {
                // A stored call's deadline runs from when JetStream stored it; the server gives it up the skew allowance later.
                if (stored.DeadlineOf(storedQuery) is { } storedDeadline)
                {
                    deadlineAt = storedDeadline.Deadline;
                    token = _deadlines.After(storedDeadline.Left > CallTimeouts.Min ? storedDeadline.Left : CallTimeouts.Min);
                }
            }
            else if (envelope is Query { TimeoutSeconds: > 0 and double seconds })
            {
                TimeSpan timeout = CallTimeouts.FromPeerSeconds(seconds);
                deadlineAt = DateTimeOffset.UtcNow + timeout;
                token = _deadlines.After(timeout);
            }

            if (_control is not null && envelope is Query { RequestId: { } requestId } steered)
            {
                served = _control.Register(steered.From, requestId, token);
                token = served.Token;
            }

            context = new(_responder, envelope, subject, replyTo, token) { Call = served, KeepsReply = stored is { KeepsReply: true } };
            if (replyTo is not null && envelope is Query { HeartbeatSeconds: > 0 and double heartbeat })
            {
                context.Heartbeat = new Heartbeat(context, _responder, _deadlines, heartbeat);
            }

            // Set inside this async method, the call's context flows into the handler and what it starts, never back to
            // the pump: the runtime restores the thread's execution context when this method's continuation ends, also
            // when the handler throws or is cancelled.
            if (envelope is Query query)
            {
                AnaCallContext.Current = new AnaCallContext(query, context, _responder.Subjects, deadlineAt) { DeliveryAttempt = stored?.Attempt ?? 1 };
            }

            try
            {
                await (stored?.Handler ?? _handler)(envelope, context).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (_stopping.IsCancellationRequested && stored is not null)
            {
                // Handed back below: another server runs the stored call, and its caller waits on.
                failure = ex;
            }
            catch (OperationCanceledException ex) when (_stopping.IsCancellationRequested)
            {
                failure = ex;

                // The reply is the caller's only news; it may take a moment even when no grace was asked for.
                using CancellationTokenSource replyBound = new(_shutdownGrace > OneSecond ? _shutdownGrace : OneSecond);
                await _responder.HandleStoppedAsync(context, replyBound.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
                await _responder.HandleFailureAsync(context, ex).ConfigureAwait(false);
            }
        }
        finally
        {
            // One outcome for the span, the metrics and the endpoint's statistics: an error when the call sent an error
            // reply, or when its handler threw and sent none (a one-way call, or a call whose deadline passed).
            string? outcome = InboundContext.OutcomeOf(context, failure);
            call.End(outcome);
            endpoint?.Record(started, outcome, context?.Error?.Message);
            context?.Heartbeat?.Dispose();
            if (served is not null)
            {
                _control!.End(served);
            }

            if (stored is not null)
            {
                // Settled before the slot is given back: the message counts as this server's work until JetStream knows.
                await stored.SettleAsync(failure, _stopping.IsCancellationRequested, context?.KeptReply).ConfigureAwait(false);
                stored.Dispose();
            }

            EndHandler();
        }
    }

    /// <summary>A received envelope on its way to a handler: queued, or on its way to the thread pool. <see cref="ReceivedAt"/> is <see cref="Environment.TickCount64"/> when the subscription read it.</summary>
    /// <remarks><see cref="Stored"/> is the JetStream delivery of a stored query, settled once its handler ends.</remarks>
    private readonly record struct HandlerWork(InboundDispatcher Dispatcher, Envelope Envelope, string Subject, string? ReplyTo, NatsHeaders? Headers, long ReceivedAt, IStoredWork? Stored = null);
}
