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
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private readonly EnvelopeReceiver _receiver;
    private readonly Responder _responder;
    private readonly TimeSpan _shutdownGrace;
    private readonly EnvelopeHandler _handler;
    private readonly ServedMethods? _methods;
    private readonly MicroService? _micro;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrency;
    private readonly CancellationTokenSource _admitting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Deadlines _deadlines;
    private ITransportSubscription? _subscription;
    private ITransportSubscription? _bareSubscription;
    private Task? _handlersFinished;
    private TaskCompletionSource? _drained;
    private CancellationToken _refusalDeadline;
    private int _draining;
    private int _disposed;

    private InboundDispatcher(EnvelopeReceiver receiver, Responder responder, TimeSpan shutdownGrace, string subject, EnvelopeHandler handler, ServedMethods? methods, MicroService? micro, int maxConcurrency)
    {
        _methods = methods;
        _micro = micro;
        _receiver = receiver;
        _responder = responder;
        _shutdownGrace = shutdownGrace;
        Subject = subject;
        _handler = handler;
        _maxConcurrency = maxConcurrency;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
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
    /// contract's NATS micro service, gets the statistics of every call to one of its endpoints.
    /// </summary>
    public static async ValueTask<InboundDispatcher> StartAsync(
        ITransport transport,
        EnvelopeReceiver receiver,
        Responder responder,
        TimeSpan shutdownGrace,
        string subject,
        string? bareSubject,
        string? queueGroup,
        EnvelopeHandler handler,
        ServedMethods? methods,
        MicroService? micro,
        int maxConcurrency,
        CancellationToken cancellationToken)
    {
        InboundDispatcher dispatcher = new(receiver, responder, shutdownGrace, subject, handler, methods, micro, maxConcurrency);
        dispatcher._subscription = await transport.SubscribeAsync(subject, queueGroup, dispatcher.OnMessageAsync, cancellationToken)
            .ConfigureAwait(false);
        if (bareSubject is null)
        {
            return dispatcher;
        }

        try
        {
            dispatcher._bareSubscription = await transport.SubscribeAsync(bareSubject, queueGroup, dispatcher.OnMessageAsync, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AnaPermissionException ex)
        {
            Log.BareSubjectRefused(receiver.Logger, bareSubject, subject, ex.ServerError);
        }
        catch
        {
            await dispatcher.DisposeAsync().ConfigureAwait(false);
            throw;
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
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (_bareSubscription is not null)
        {
            await _bareSubscription.DisposeAsync().ConfigureAwait(false);
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

        try
        {
            await _slots.WaitAsync(_admitting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await RefuseAsync(envelope, message.Subject, message.ReplyTo).ConfigureAwait(false);
            return;
        }

        // A slot freed while admission closed can still reach this waiter: SemaphoreSlim removes a cancelled waiter
        // only when its continuation runs, and a release in between grants it the slot.
        if (_admitting.IsCancellationRequested)
        {
            _slots.Release();
            await RefuseAsync(envelope, message.Subject, message.ReplyTo).ConfigureAwait(false);
            return;
        }

        // Queued, not awaited: the pump goes on to the next message. The handler starts on the pool and runs until its
        // first real wait; one that never waits (an answer at once) ends without a state machine ever being boxed.
        ThreadPool.UnsafeQueueUserWorkItem(
            static work => _ = work.Dispatcher.RunHandlerAsync(work.Envelope, work.Subject, work.ReplyTo, work.Headers),
            new HandlerWork(this, envelope, message.Subject, message.ReplyTo, message.Headers),
            preferLocal: false);
    }

    /// <summary>A query that arrived while stopping: answered <see cref="AnaErrorCodes.Unavailable"/> when draining, dropped when disposing.</summary>
    private async ValueTask RefuseAsync(Envelope envelope, string subject, string? replyTo)
    {
        if (envelope is not Query || Volatile.Read(ref _draining) == 0 || _refusalDeadline.IsCancellationRequested)
        {
            return;
        }

        InboundContext context = new(_responder, envelope, subject, replyTo, _refusalDeadline);
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

    private async Task RunHandlerAsync(Envelope envelope, string subject, string? replyTo, NatsHeaders? headers)
    {
        InboundCall call = envelope is Query inbound && Instrumentation.IsObserved
            ? InboundCall.Start(_methods, inbound, subject, replyTo, headers)
            : default;
        MicroEndpoint? endpoint = _micro?.Find(subject);
        long started = endpoint is null ? 0 : Stopwatch.GetTimestamp();
        InboundContext? context = null;
        Exception? failure = null;
        try
        {
            CancellationToken token = _stopping.Token;
            DateTimeOffset? deadlineAt = null;
            if (envelope is Query { TimeoutSeconds: > 0 and double seconds })
            {
                TimeSpan timeout = CallTimeouts.FromPeerSeconds(seconds);
                deadlineAt = DateTimeOffset.UtcNow + timeout;
                token = _deadlines.After(timeout);
            }

            context = new(_responder, envelope, subject, replyTo, token);

            // Set inside this async method, the call's context flows into the handler and what it starts, never back to
            // the pump: the runtime restores the thread's execution context when this method's continuation ends, also
            // when the handler throws or is cancelled.
            if (envelope is Query query)
            {
                AnaCallContext.Current = new AnaCallContext(query, context, _responder.Subjects, deadlineAt);
            }

            try
            {
                await _handler(envelope, context).ConfigureAwait(false);
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

            _slots.Release();
        }
    }

    /// <summary>A received envelope on its way to the thread pool, where its handler runs.</summary>
    private readonly record struct HandlerWork(InboundDispatcher Dispatcher, Envelope Envelope, string Subject, string? ReplyTo, NatsHeaders? Headers);
}
