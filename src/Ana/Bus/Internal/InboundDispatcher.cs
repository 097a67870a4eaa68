using Ana.Transport;

namespace Ana;

/// <summary>
/// Feeds the envelopes of one subscription to a handler: parses each message on the subscription's pump, then runs
/// the handler on the thread pool, at most <c>MaxConcurrentHandlers</c> at once. While every slot is busy the pump
/// waits, so excess messages queue in the transport's bounded buffer instead of in memory without limit.
/// </summary>
internal sealed class InboundDispatcher : IAsyncDisposable
{
    private readonly EnvelopeReceiver _receiver;
    private readonly Responder _responder;
    private readonly TimeSpan _shutdownGrace;
    private readonly EnvelopeHandler _handler;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrency;
    private readonly CancellationTokenSource _stopping = new();
    private ITransportSubscription? _subscription;
    private int _disposed;

    private InboundDispatcher(EnvelopeReceiver receiver, Responder responder, TimeSpan shutdownGrace, string subject, EnvelopeHandler handler, int maxConcurrency)
    {
        _receiver = receiver;
        _responder = responder;
        _shutdownGrace = shutdownGrace;
        Subject = subject;
        _handler = handler;
        _maxConcurrency = maxConcurrency;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    public string Subject { get; }

    /// <summary>Subscribes; disposing waits up to <paramref name="shutdownGrace"/> for running handlers once their tokens are cancelled.</summary>
    public static async ValueTask<InboundDispatcher> StartAsync(
        ITransport transport,
        EnvelopeReceiver receiver,
        Responder responder,
        TimeSpan shutdownGrace,
        string subject,
        string? queueGroup,
        EnvelopeHandler handler,
        int maxConcurrency,
        CancellationToken cancellationToken)
    {
        InboundDispatcher dispatcher = new(receiver, responder, shutdownGrace, subject, handler, maxConcurrency);
        dispatcher._subscription = await transport.SubscribeAsync(subject, queueGroup, dispatcher.OnMessageAsync, cancellationToken)
            .ConfigureAwait(false);
        return dispatcher;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Cancel();
        using CancellationTokenSource drained = new(_shutdownGrace);
        try
        {
            for (int i = 0; i < _maxConcurrency; i++)
            {
                await _slots.WaitAsync(drained.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Log.HandlersDidNotStop(_receiver.Logger, Subject, _shutdownGrace);
        }

        _stopping.Dispose();
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
            await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _ = RunHandlerAsync(envelope, message.Subject, message.ReplyTo);
    }

    private async Task RunHandlerAsync(Envelope envelope, string subject, string? replyTo)
    {
        await Task.Yield();
        CancellationTokenSource? deadline = null;
        try
        {
            CancellationToken token = _stopping.Token;
            if (envelope is Query { TimeoutSeconds: > 0 and double seconds })
            {
                deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
                deadline.CancelAfter(CallTimeouts.FromPeerSeconds(seconds));
                token = deadline.Token;
            }

            InboundContext context = new(_responder, envelope, subject, replyTo, token);
            try
            {
                await _handler(envelope, context).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await _responder.HandleFailureAsync(context, ex).ConfigureAwait(false);
            }
        }
        finally
        {
            deadline?.Dispose();
            _slots.Release();
        }
    }
}
