using NATS.Client.Core;

namespace Ana.Transport;

/// <summary>
/// The wire under an <c>AgentBus</c>: core NATS, or the in-process broker behind <c>memory://</c>.
/// Both give the same semantics for what the bus uses: subjects with <c>*</c> and <c>&gt;</c> wildcards,
/// queue groups, reply subjects, and a no-responders notice to the reply subject of a publish that nobody receives.
/// </summary>
internal interface ITransport : IAsyncDisposable
{
    /// <summary>Whether the connection is up, being re-established, or closed.</summary>
    AgentBusConnectionState State { get; }

    /// <summary>
    /// The live subscriptions that stopped receiving after they were registered (refused by the server when re-sent,
    /// or ended by the client with an error); each leaves the list when it is disposed.
    /// </summary>
    IReadOnlyList<AgentSubscriptionFault> SubscriptionFaults { get; }

    /// <summary>The largest message the server accepts, in bytes (NATS: its <c>max_payload</c>, as of the last connect).</summary>
    long MaxPayload { get; }

    /// <summary>A subject prefix unique to this connection, under which the bus receives inbox replies.</summary>
    string NewInboxPrefix();

    /// <summary>
    /// Publishes <paramref name="payload"/> with <paramref name="headers"/> (the trace context, or none). The buffer may
    /// be reused once the returned task completes; the headers belong to this publish alone (the NATS client may write
    /// into them), so a caller makes new ones for each publish.
    /// </summary>
    ValueTask PublishAsync(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes and returns once the subscription is registered with the server, so that a publish made
    /// after this returns is delivered. Messages are handed to <paramref name="handler"/> one at a time, in order.
    /// </summary>
    ValueTask<ITransportSubscription> SubscribeAsync(
        string subject,
        string? queueGroup,
        TransportHandler handler,
        CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="SubscribeAsync"/>, for a handler that finishes at once and never waits on anything (matching a
    /// reply to the call that waits for it): the transport may run it on its receive path, with no queue and no thread
    /// hop in between. A message that arrives while the subscription is being disposed may still reach the handler.
    /// </summary>
    ValueTask<ITransportSubscription> SubscribeInlineAsync(string subject, TransportHandler handler, CancellationToken cancellationToken);
}

/// <summary>Receives one message; <see cref="TransportMessage.Payload"/> is valid only until the returned task completes.</summary>
internal delegate ValueTask TransportHandler(TransportMessage message);

/// <summary>
/// A live subscription. Disposing it unsubscribes, discards what is buffered and waits for the handler to finish the
/// current message; draining it hands the buffered messages to the handler first.
/// </summary>
internal interface ITransportSubscription : IAsyncDisposable
{
    /// <summary>The subject (possibly a wildcard) this subscription listens on.</summary>
    string Subject { get; }

    /// <summary>
    /// Stops the delivery of new messages, hands the handler every message that reached this subscription before that,
    /// waits for the handler to finish the last of them, and disposes the subscription. When
    /// <paramref name="cancellationToken"/> fires first, what is still buffered is discarded as by a dispose.
    /// </summary>
    ValueTask DrainAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One message as it arrives. <see cref="Headers"/> are those of a message received on a subscription made by
/// <see cref="ITransport.SubscribeAsync"/> (queries carry the caller's trace context there); an inline subscription
/// (replies) does not read them.
/// </summary>
internal readonly record struct TransportMessage(
    string Subject,
    string? ReplyTo,
    ReadOnlyMemory<byte> Payload,
    bool IsNoResponders,
    NatsHeaders? Headers = null);
