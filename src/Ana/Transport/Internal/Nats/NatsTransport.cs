using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Transport.Nats;

/// <summary>
/// <see cref="ITransport"/> over core NATS (NATS.Client.Core), without any reflection-based serializer:
/// payloads go out through <see cref="NatsRawSerializer{T}"/> and come in as pooled <see cref="NatsMemoryOwner{T}"/>
/// buffers that are returned to the pool once the handler has finished with them.
/// </summary>
/// <remarks>
/// <para>Each subscription made by <see cref="SubscribeAsync"/> has one pump task that hands messages to its handler one
/// at a time, in order; one made by <see cref="SubscribeInlineAsync"/> runs its handler on the connection's read loop
/// instead. Either way a handler that throws is logged at Error and the next message is delivered.</para>
/// <para>No-responders: the client announces <c>headers</c> and <c>no_responders</c>, so a publish with a reply subject
/// that no subscription receives makes the server send an empty message with the status header <c>NATS/1.0 503</c>
/// to the reply subject. It reaches only subscriptions of the publishing connection; it arrives as a
/// <see cref="TransportMessage"/> with <see cref="TransportMessage.IsNoResponders"/> set, the reply subject as
/// <see cref="TransportMessage.Subject"/>, no reply subject and an empty payload.</para>
/// </remarks>
internal sealed partial class NatsTransport : ITransport
{
    private const int ExtraRoundTripsForRefusals = 4;

    private static readonly NatsRawSerializer<ReadOnlyMemory<byte>> PayloadSerializer = NatsRawSerializer<ReadOnlyMemory<byte>>.Default;
    private static readonly NatsRawSerializer<NatsMemoryOwner<byte>> PayloadDeserializer = NatsRawSerializer<NatsMemoryOwner<byte>>.Default;

    private readonly NatsConnection _connection;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ITransportSubscription, byte> _subscriptions = new();

    // Subscriptions being registered, by subject: a "Permissions Violation for Subscription" for one of them fails it.
    private readonly ConcurrentDictionary<TaskCompletionSource<string>, string> _registering = new();
    private long _droppedMessages;
    private long _slowConsumerEvents;
    private long _openedCount;
    private int _disposed;

    private NatsTransport(NatsConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _connection.ConnectionOpened += OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected += OnConnectionDisconnectedAsync;
        _connection.ReconnectFailed += OnReconnectFailedAsync;
        _connection.MessageDropped += OnMessageDroppedAsync;
        _connection.SlowConsumerDetected += OnSlowConsumerDetectedAsync;
        _connection.ServerError += OnServerErrorAsync;
        _connection.LameDuckModeActivated += OnLameDuckModeActivatedAsync;
    }

    /// <summary>Messages the client dropped because a subscription's buffer was full (see <c>SubPendingChannelCapacity</c>).</summary>
    internal long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Times a subscription was flagged as a slow consumer (once per episode of a full buffer).</summary>
    internal long SlowConsumerEvents => Interlocked.Read(ref _slowConsumerEvents);

    /// <summary>The underlying connection (for diagnostics and tests).</summary>
    internal NatsConnection Connection => _connection;

    /// <summary>
    /// Connects to the server(s) in <paramref name="opts"/> and returns an open transport.
    /// Fails with <see cref="AnaConnectionException"/> when no server can be reached: each server gets
    /// <see cref="NatsOpts.ConnectTimeout"/> for the TCP connect and for each handshake step. When
    /// <see cref="NatsOpts.RetryOnInitialConnect"/> is set the client retries until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="AnaConnectionException">The server is unreachable or refused the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static async ValueTask<NatsTransport> ConnectAsync(NatsOpts opts, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opts);
        ArgumentNullException.ThrowIfNull(logger);
        cancellationToken.ThrowIfCancellationRequested();

        var connection = new NatsConnection(opts);
        var transport = new NatsTransport(connection, logger);

        Task connect;
        try
        {
            connect = connection.ConnectAsync().AsTask();
        }
        catch (Exception ex)
        {
            connect = Task.FromException(ex);
        }

        try
        {
            // NatsConnection.ConnectAsync takes no token: race it against ours.
            await connect.WaitAsync(cancellationToken).ConfigureAwait(false);
            return transport;
        }
        catch (Exception ex)
        {
            // Observe a fault that may still come after we stopped waiting.
            _ = connect.ContinueWith(
                static t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            await transport.DisposeAsync().ConfigureAwait(false);

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new AnaConnectionException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Could not connect to NATS at {NatsOptionsFactory.RedactUrl(opts.Url)} (connect timeout {opts.ConnectTimeout.TotalSeconds:0.###} s): {Describe(ex)}"),
                ex);
        }
    }

    /// <summary>The messages of an exception and its causes ("can not start to connect ... -> Server error: Authorization Violation").</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" -> ", messages);
    }

    /// <inheritdoc />
    public string NewInboxPrefix()
    {
        // Not connection.NewInbox(): that lives under the client's own "{InboxPrefix}.{connection id}.*" request inbox.
        return string.Concat(_connection.Opts.InboxPrefix, ".", Guid.NewGuid().ToString("N"));
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(string subject, string? replyTo, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // The client copies the payload into its write buffer before this call returns,
        // so the caller's buffer is free as soon as the returned task completes (in fact earlier).
        return _connection.PublishAsync(
            subject,
            payload,
            headers: null,
            replyTo: string.IsNullOrEmpty(replyTo) ? null : replyTo,
            serializer: PayloadSerializer,
            opts: null,
            cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ITransportSubscription> SubscribeAsync(
        string subject,
        string? queueGroup,
        TransportHandler handler,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        // The token given to SubscribeCoreAsync stays bound to the subscription's whole life (cancelling it later
        // ends the subscription), so it gets a token of our own, which the caller's token cancels only while we register.
        var lifetime = new CancellationTokenSource();
        INatsSub<NatsMemoryOwner<byte>> sub = await RegisterAsync(
            subject,
            lifetime,
            token => _connection.SubscribeCoreAsync(subject, string.IsNullOrEmpty(queueGroup) ? null : queueGroup, PayloadDeserializer, opts: null, token),
            cancellationToken).ConfigureAwait(false);
        var subscription = new Subscription(this, sub, lifetime, handler);
        await TrackAsync(subscription).ConfigureAwait(false);
        subscription.Start();
        return subscription;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The handler runs on the connection's read loop, on the socket reader's own buffer: no channel, no pooled copy of
    /// the payload, no pump task to wake.
    /// </remarks>
    public async ValueTask<ITransportSubscription> SubscribeInlineAsync(string subject, TransportHandler handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        var lifetime = new CancellationTokenSource();
        InlineSubscription subscription = await RegisterAsync(
            subject,
            lifetime,
            async token =>
            {
                var sub = new InlineSubscription(this, subject, handler, lifetime, token);
                await _connection.AddSubAsync(sub, token).ConfigureAwait(false);
                return sub;
            },
            cancellationToken).ConfigureAwait(false);
        await TrackAsync(subscription).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>
    /// Subscribes through <paramref name="subscribe"/> and returns once the server has the subscription, or throws
    /// <see cref="AnaPermissionException"/> when the server refused it.
    /// </summary>
    private async ValueTask<TSub> RegisterAsync<TSub>(
        string subject,
        CancellationTokenSource lifetime,
        Func<CancellationToken, ValueTask<TSub>> subscribe,
        CancellationToken cancellationToken)
        where TSub : class, IAsyncDisposable
    {
        TSub? sub = null;
        var denied = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _registering.TryAdd(denied, subject);
        try
        {
            using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), lifetime))
            {
                sub = await subscribe(lifetime.Token).ConfigureAwait(false);

                // The subscribe call returns once SUB is queued; the PONG proves the server has processed it.
                await _connection.PingAsync(lifetime.Token).ConfigureAwait(false);

                // A refused SUB is answered with -ERR before that PONG, but the client raises ServerError on its own
                // event task, which lags behind the read loop the more the machine is loaded. Round trips give that
                // event time to arrive instead of returning a dead subscription; they take longer under load too, so
                // a few of them (well under a millisecond on an idle loopback) keep pace with the lag.
                for (int extra = 0; extra < ExtraRoundTripsForRefusals && !denied.Task.IsCompleted; extra++)
                {
                    await _connection.PingAsync(lifetime.Token).ConfigureAwait(false);
                }
            }

            if (denied.Task.IsCompleted)
            {
                throw new AnaPermissionException(subject, denied.Task.Result);
            }

            // Disposing the registration waited for a callback in flight: a cancellation that raced us shows here.
            if (lifetime.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return sub;
        }
        catch (Exception ex)
        {
            if (sub is not null)
            {
                await DisposeQuietlyAsync(sub, subject).ConfigureAwait(false);
            }

            lifetime.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Subscribing was cancelled.", ex, cancellationToken);
            }

            throw;
        }
        finally
        {
            _registering.TryRemove(denied, out _);
        }
    }

    /// <summary>Keeps <paramref name="subscription"/> for <see cref="DisposeAsync"/>; disposes it at once when the transport is gone.</summary>
    private async ValueTask TrackAsync(ITransportSubscription subscription)
    {
        _subscriptions.TryAdd(subscription, 0);
        if (Volatile.Read(ref _disposed) != 0)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(NatsTransport));
        }
    }

    /// <summary>Disposes every subscription (waiting for their handlers), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var subscription in _subscriptions.Keys)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            NatsTransportLog.CloseFailed(_logger, ex);
        }
        finally
        {
            _connection.ConnectionOpened -= OnConnectionOpenedAsync;
            _connection.ConnectionDisconnected -= OnConnectionDisconnectedAsync;
            _connection.ReconnectFailed -= OnReconnectFailedAsync;
            _connection.MessageDropped -= OnMessageDroppedAsync;
            _connection.SlowConsumerDetected -= OnSlowConsumerDetectedAsync;
            _connection.ServerError -= OnServerErrorAsync;
            _connection.LameDuckModeActivated -= OnLameDuckModeActivatedAsync;
        }
    }

    /// <summary>
    /// Waits (briefly) for the server to answer a ping, so that the commands sent before it, such as an UNSUB, have taken
    /// effect: a publish made after an unsubscribe returns then sees the server's view without the subscription.
    /// </summary>
    private async ValueTask ConfirmWithServerAsync()
    {
        if (_connection.ConnectionState != NatsConnectionState.Open || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(2));
        try
        {
            await _connection.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or NatsException)
        {
            // Disconnected meanwhile: the server dropped the subscription with the connection anyway.
        }
    }

    private async ValueTask DisposeQuietlyAsync(IAsyncDisposable sub, string subject)
    {
        try
        {
            await sub.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // DisposeAsync rethrows whatever ended the subscription (e.g. a cancellation); nothing to do about it.
            NatsTransportLog.UnsubscribeFailed(_logger, subject, ex);
        }
    }

    private ValueTask OnConnectionOpenedAsync(object? sender, NatsEventArgs args)
    {
        if (Interlocked.Increment(ref _openedCount) == 1)
        {
            NatsTransportLog.ConnectionOpened(_logger, args.Message);
        }
        else
        {
            NatsTransportLog.ConnectionReopened(_logger, args.Message);
        }

        return default;
    }

    private ValueTask OnConnectionDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            NatsTransportLog.ConnectionLost(_logger, args.Message);
        }

        return default;
    }

    private ValueTask OnReconnectFailedAsync(object? sender, NatsEventArgs args)
    {
        NatsTransportLog.ReconnectFailed(_logger, args.Message);
        return default;
    }

    private ValueTask OnMessageDroppedAsync(object? sender, NatsMessageDroppedEventArgs args)
    {
        Interlocked.Increment(ref _droppedMessages);
        NatsTransportLog.MessageDropped(_logger, args.Subject, args.Subscription.Subject, args.Pending);

        // The dropped message never reaches a pump: give its pooled buffer back.
        if (args.Data is NatsMemoryOwner<byte> payload)
        {
            payload.Dispose();
        }

        return default;
    }

    private ValueTask OnSlowConsumerDetectedAsync(object? sender, NatsSlowConsumerEventArgs args)
    {
        Interlocked.Increment(ref _slowConsumerEvents);
        NatsTransportLog.SlowConsumer(_logger, args.Subscription.Subject);
        return default;
    }

    private ValueTask OnServerErrorAsync(object? sender, NatsServerErrorEventArgs args)
    {
        NatsTransportLog.ServerError(_logger, args.Error);

        // nats-server: Permissions Violation for Subscription to "subject"[ using queue "group"]
        const string Refused = "Permissions Violation for Subscription to \"";
        var error = args.Error ?? string.Empty;
        var start = error.IndexOf(Refused, StringComparison.OrdinalIgnoreCase);
        if (start >= 0)
        {
            start += Refused.Length;
            var end = error.IndexOf('"', start);
            var subject = end > start ? error[start..end] : string.Empty;
            foreach (var (pending, pendingSubject) in _registering)
            {
                if (string.Equals(pendingSubject, subject, StringComparison.Ordinal))
                {
                    pending.TrySetResult(error);
                }
            }
        }

        return default;
    }

    private ValueTask OnLameDuckModeActivatedAsync(object? sender, NatsLameDuckModeActivatedEventArgs args)
    {
        NatsTransportLog.LameDuck(_logger, args.Message);
        return default;
    }

    private sealed class Subscription : ITransportSubscription
    {
        // Set on the pump's execution context: lets a handler dispose its own subscription without waiting for itself.
        private static readonly AsyncLocal<Subscription?> CurrentPump = new();

        private readonly NatsTransport _owner;
        private readonly INatsSub<NatsMemoryOwner<byte>> _sub;
        private readonly CancellationTokenSource _lifetime;
        private readonly TransportHandler _handler;
        private readonly object _gate = new();
        private Task _pump = Task.CompletedTask;
        private Task? _stop;

        public Subscription(NatsTransport owner, INatsSub<NatsMemoryOwner<byte>> sub, CancellationTokenSource lifetime, TransportHandler handler)
        {
            _owner = owner;
            _sub = sub;
            _lifetime = lifetime;
            _handler = handler;
        }

        public string Subject => _sub.Subject;

        private string Name => _sub.QueueGroup is null ? _sub.Subject : string.Concat(_sub.Subject, " (queue ", _sub.QueueGroup, ")");

        public void Start()
        {
            lock (_gate)
            {
                if (_stop is null)
                {
                    _pump = Task.Run(PumpAsync);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Task stop;
            lock (_gate)
            {
                stop = _stop ??= StopAsync();
            }

            await stop.ConfigureAwait(false);

            if (CurrentPump.Value != this)
            {
                // Waits for the handler to finish the current message; the pump delivers nothing after that.
                await _pump.ConfigureAwait(false);
                _lifetime.Dispose();
            }
        }

        private async Task StopAsync()
        {
            // Stops the pump between messages, and (through the token given to the client) ends the NATS subscription.
            await _lifetime.CancelAsync().ConfigureAwait(false);
            await _owner.DisposeQuietlyAsync(_sub, Name).ConfigureAwait(false);
            _owner._subscriptions.TryRemove(this, out _);
            await _owner.ConfirmWithServerAsync().ConfigureAwait(false);
        }

        private async Task PumpAsync()
        {
            CurrentPump.Value = this;
            var reader = _sub.Msgs;
            var token = _lifetime.Token;
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    while (!token.IsCancellationRequested && reader.TryRead(out var msg))
                    {
                        await DeliverAsync(msg).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Disposed.
            }
            catch (Exception ex)
            {
                NatsTransportLog.SubscriptionFailed(_owner._logger, Name, ex);
            }
            finally
            {
                // Buffered messages that will never be delivered: return their pooled buffers.
                while (reader.TryRead(out var msg))
                {
                    msg.Data.Dispose();
                }
            }
        }

        private async ValueTask DeliverAsync(NatsMsg<NatsMemoryOwner<byte>> msg)
        {
            var payload = msg.Data;
            try
            {
                if (msg.Error is { } error)
                {
                    NatsTransportLog.UnreadableMessage(_owner._logger, msg.Subject, Name, error);
                    return;
                }

                await _handler(new TransportMessage(msg.Subject, msg.ReplyTo, payload.Memory, msg.HasNoResponders)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                NatsTransportLog.HandlerFailed(_owner._logger, Name, msg.Subject, ex);
            }
            finally
            {
                payload.Dispose();
            }
        }
    }
}
