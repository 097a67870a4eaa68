using Microsoft.Extensions.Logging;

namespace Ana.Transport.Nats;

/// <summary>Log messages of <see cref="NatsTransport"/> (source-generated: no boxing, no reflection).</summary>
internal static partial class NatsTransportLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "NATS connection opened ({Detail})")]
    public static partial void ConnectionOpened(ILogger logger, string detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "NATS connection lost ({Detail}); the client reconnects")]
    public static partial void ConnectionLost(ILogger logger, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "NATS connection reopened ({Detail}); subscriptions are re-sent")]
    public static partial void ConnectionReopened(ILogger logger, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "NATS reconnect attempt failed ({Detail})")]
    public static partial void ReconnectFailed(ILogger logger, string detail);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "NATS message dropped on {Subject} (subscription {Subscription}, {Pending} pending): the handler is not keeping up")]
    public static partial void MessageDropped(ILogger logger, string subject, string subscription, int pending);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "NATS slow consumer on subscription {Subscription}: its buffer is full and messages are being dropped")]
    public static partial void SlowConsumer(ILogger logger, string subscription);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "NATS server error: {Error}")]
    public static partial void ServerError(ILogger logger, string error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "NATS server entered lame duck mode ({Detail}); it will close this connection soon")]
    public static partial void LameDuck(ILogger logger, string detail);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Handler for subscription {Subscription} failed on a message to {Subject}; the subscription continues")]
    public static partial void HandlerFailed(ILogger logger, string subscription, string subject, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Skipped an unreadable message to {Subject} on subscription {Subscription}")]
    public static partial void UnreadableMessage(ILogger logger, string subject, string subscription, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Subscription {Subscription} ended with an error; no more messages will be delivered on it")]
    public static partial void SubscriptionFailed(ILogger logger, string subscription, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Subscription {Subscription} no longer receives: {Reason}")]
    public static partial void SubscriptionFaulted(ILogger logger, string subscription, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Error while unsubscribing from {Subscription}")]
    public static partial void UnsubscribeFailed(ILogger logger, string subscription, Exception exception);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Error while closing the NATS connection")]
    public static partial void CloseFailed(ILogger logger, Exception exception);
}
