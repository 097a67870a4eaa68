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
    private readonly ServerErrorTap _serverErrors;
    private readonly ConcurrentDictionary<ITransportSubscription, byte> _subscriptions = new();

    // Subscriptions being registered, by subject: a "Permissions Violation for Subscription" for one of them fails it.
    private readonly ConcurrentDictionary<TaskCompletionSource<string>, string> _registering = new();

    // Publishes the server refused, by subject (the last error text): a publish is not answered when refused, so a caller
    // that waited for an answer (a JetStream publish) looks here to say why it got none. Bounded: cleared when full.
    private readonly ConcurrentDictionary<string, string> _refusedPublishes = new(StringComparer.Ordinal);

    // Who wants to know at once when the server refuses a publish: a durable topic's puller, of its acknowledgements.
    private readonly ConcurrentDictionary<PublishRefusalWatch, byte> _publishWatches = new();

    // Live subscriptions that stopped receiving: refused when re-sent after a reconnect, or ended with an error; also
    // the durable topics that stopped taking work (keyed by their puller).
    private readonly ConcurrentDictionary<object, AgentSubscriptionFault> _faults = new();
    private long _droppedMessages;
    private long _slowConsumerEvents;
    private long _openedCount;
    private long _lostAt = long.MinValue / 2;
    private int _disposed;

    private NatsTransport(NatsConnection connection, ILogger logger, ServerErrorTap serverErrors)
    {
        _connection = connection;
        _logger = logger;
        _serverErrors = serverErrors;
        serverErrors.ServerError = NoteRefusal;
        HookEvents();
    }

    /// <summary>Messages the client dropped because a subscription's buffer was full (see <c>SubPendingChannelCapacity</c>).</summary>
    internal long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Times a subscription was flagged as a slow consumer (once per episode of a full buffer).</summary>
    internal long SlowConsumerEvents => Interlocked.Read(ref _slowConsumerEvents);

    /// <summary>Whether a refused subscription is known for certain when registering returns (the read loop's tap is in place).</summary>
    internal bool RefusalsAreCertain => _serverErrors.IsAttached;

    /// <inheritdoc />
    public IReadOnlyList<AgentSubscriptionFault> SubscriptionFaults => _faults.IsEmpty ? [] : [.. _faults.Values];

    /// <summary>
    /// Whether the connection was lost within <paramref name="span"/>: after a server restart, JetStream may not answer
    /// for a moment although the connection is open again (it is recovering its streams).
    /// </summary>
    internal bool LostWithin(TimeSpan span) => Environment.TickCount64 - Volatile.Read(ref _lostAt) < (long)span.TotalMilliseconds;

    /// <summary>Whether the server refused a publish on <paramref name="subject"/> since the connection was made, and its error.</summary>
    internal bool TryGetPublishRefusal(string subject, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? serverError)
        => _refusedPublishes.TryGetValue(subject, out serverError);

    /// <summary>
    /// Calls <paramref name="refused"/> with the subject and the server's error each time the server refuses a publish on
    /// a subject <paramref name="matches"/> accepts, until the returned watch is disposed. Both run on the connection's
    /// read loop (and again, later, on its event task): they must be quick, and must not block.
    /// </summary>
    internal IDisposable WatchPublishRefusals(Func<string, bool> matches, Action<string, string> refused)
    {
        PublishRefusalWatch watch = new(this, matches, refused);
        _publishWatches.TryAdd(watch, 0);
        return watch;
    }

    /// <summary>Lists <paramref name="fault"/> in <see cref="SubscriptionFaults"/> for <paramref name="owner"/>, something other than a subscription that logs its own error, until <see cref="ClearFault"/>.</summary>
    internal void NoteFault(object owner, AgentSubscriptionFault fault)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _faults.TryAdd(owner, fault);
        }
    }

    /// <summary>Forgets the fault of <paramref name="owner"/> (stopped).</summary>
    internal void ClearFault(object owner) => _faults.TryRemove(owner, out _);

    /// <summary>The underlying connection (for diagnostics and tests).</summary>
    internal NatsConnection Connection => _connection;

    public AgentBusConnectionState State => Volatile.Read(ref _disposed) != 0
        ? AgentBusConnectionState.Closed
        : _connection.ConnectionState switch
        {
            NatsConnectionState.Open => AgentBusConnectionState.Connected,
            NatsConnectionState.Closed => AgentBusConnectionState.Closed,
            _ => AgentBusConnectionState.Reconnecting,
        };

    /// <summary>
    /// Connects to the server(s) in <paramref name="opts"/> and returns an open transport.
    /// Fails with <see cref="AnaConnectionException"/> when no server can be reached: each server gets
    /// <see cref="NatsOpts.ConnectTimeout"/> for the TCP connect and for each handshake step. When
    /// <see cref="NatsOpts.RetryOnInitialConnect"/> is set the client retries until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="AnaConnectionException">The server is unreachable or refused the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <remarks>The client logs through a <see cref="ServerErrorTap"/> around <see cref="NatsOpts.LoggerFactory"/>: it makes refusals certain.</remarks>
    public static async ValueTask<NatsTransport> ConnectAsync(NatsOpts opts, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opts);
        ArgumentNullException.ThrowIfNull(logger);
        cancellationToken.ThrowIfCancellationRequested();

        ServerErrorTap serverErrors = new(opts.LoggerFactory);
        NatsConnection connection;
        try
        {
            connection = new NatsConnection(opts with { LoggerFactory = serverErrors });
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            // A URL the client cannot parse: its message names no secret, the URL we show is redacted.
            throw new AnaConnectionException(
                $"Could not connect to NATS at {UrlSecrets.Redact(opts.Url)}: the URL is malformed ({ex.Message}).", ex);
        }

        NatsTransport transport = new(connection, logger, serverErrors);

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
                    $"Could not connect to NATS at {UrlSecrets.Redact(opts.Url)} (connect timeout {opts.ConnectTimeout.TotalSeconds:0.###} s): {Describe(ex)}{TlsHint(ex, opts)}"),
                ex);
        }
    }

    /// <summary>
    /// What to do about a TLS failure, from the exception chain: the client rejected the server's certificate (give the
    /// CA), or the server ended the handshake over the client's certificate (give one its CA signed). Empty otherwise.
    /// </summary>
    private static string TlsHint(Exception exception, NatsOpts opts)
    {
        bool serverCertificateRejected = false;
        bool tlsAlert = false;
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            serverCertificateRejected |= e is System.Security.Authentication.AuthenticationException
                && e.Message.Contains("remote certificate", StringComparison.OrdinalIgnoreCase);
            tlsAlert |= e.Message.Contains("alert bad certificate", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("alert certificate required", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("alert unknown ca", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("alert handshake failure", StringComparison.OrdinalIgnoreCase);
        }

        if (serverCertificateRejected)
        {
            return opts.TlsOpts.CaFile is null
                ? ". The server's TLS certificate is not trusted: if a private CA signed it, give that CA's PEM file (AgentBusOptions.TlsCaFile, ana --tls-ca)."
                : ". The server's TLS certificate was not signed by the CA given in the TLS CA file, or does not name this host.";
        }

        if (tlsAlert)
        {
            return opts.TlsOpts.CertFile is null
                ? ". The server requires a TLS client certificate: give one signed by a CA it trusts (AgentBusOptions.TlsCertificateFile and TlsKeyFile, ana --tls-cert and --tls-key)."
                : ". The server refused the TLS client certificate: it must be signed by a CA the server trusts (its ca_file).";
        }

        return string.Empty;
    }

    /// <summary>The messages of an exception and its causes ("can not start to connect ... -> Server error: Authorization Violation").</summary>
    private static string Describe(Exception exception)
    {
        List<string> messages = new();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }

        // The client shows "nats://user:***@host": the user info goes as a whole, as in our own part of the message.
        return UrlSecrets.RedactInText(string.Join(" -> ", messages));
    }

    /// <inheritdoc />
    public long MaxPayload => _connection.ServerInfo?.MaxPayload is { } maxPayload && maxPayload > 0 ? maxPayload : EnvelopeSerializer.DefaultMaxBytes;

    /// <inheritdoc />
    public string NewInboxPrefix()
    {
        // Not connection.NewInbox(): that lives under the client's own "{InboxPrefix}.{connection id}.*" request inbox.
        return string.Concat(_connection.Opts.InboxPrefix, ".", Guid.NewGuid().ToString("N"));
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // The client copies the payload into its write buffer before this call returns,
        // so the caller's buffer is free as soon as the returned task completes (in fact earlier).
        return _connection.PublishAsync(
            subject,
            payload,
            headers,
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
        CancellationTokenSource lifetime = new();
        INatsSub<NatsMemoryOwner<byte>> sub = await RegisterAsync(
            subject,
            lifetime,
            token => _connection.SubscribeCoreAsync(subject, string.IsNullOrEmpty(queueGroup) ? null : queueGroup, PayloadDeserializer, opts: null, token),
            cancellationToken).ConfigureAwait(false);
        PumpSubscription subscription = new(this, sub, lifetime, handler);
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

        CancellationTokenSource lifetime = new();
        InlineSubscription subscription = await RegisterAsync(
            subject,
            lifetime,
            async token =>
            {
                InlineSubscription sub = new(this, subject, handler, lifetime, token);
                await _connection.AddSubAsync(sub, token).ConfigureAwait(false);
                return sub;
            },
            cancellationToken).ConfigureAwait(false);
        await TrackAsync(subscription).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>Forgets <paramref name="subscription"/> (disposed), with its fault if it had one.</summary>
    private void Untrack(ITransportSubscription subscription)
    {
        _subscriptions.TryRemove(subscription, out _);
        _faults.TryRemove(subscription, out _);
    }

    /// <summary>Notes that a live subscription stopped receiving; the first reason is kept.</summary>
    private void NoteFault(ITransportSubscription subscription, string? queueGroup, string reason)
    {
        if (Volatile.Read(ref _disposed) == 0 && _subscriptions.ContainsKey(subscription)
            && _faults.TryAdd(subscription, new AgentSubscriptionFault { Subject = subscription.Subject, QueueGroup = queueGroup, Reason = reason, Since = DateTimeOffset.UtcNow }))
        {
            NatsTransportLog.SubscriptionFaulted(_logger, subscription.Subject, reason);
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

        foreach (ITransportSubscription subscription in _subscriptions.Keys)
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
            UnhookEvents();
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
        catch (Exception ex) when (ex is OperationCanceledException or NatsException or ObjectDisposedException)
        {
            // Disconnected or closed meanwhile: the server dropped the subscription with the connection anyway.
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


}
