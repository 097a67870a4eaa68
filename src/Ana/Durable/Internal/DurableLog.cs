using Microsoft.Extensions.Logging;

namespace Ana.Durable;

/// <summary>The log lines of durable work.</summary>
internal static partial class DurableLog
{
    [LoggerMessage(60, LogLevel.Warning, "The JetStream consumer '{Consumer}' of '{Subject}' has settings other than the SDK's ({Differences}): it is used as it is; DurableOptions.UpdateServerConfig = true makes the SDK update it")]
    public static partial void ConsumerDiffers(ILogger logger, string consumer, string subject, string differences);

    [LoggerMessage(61, LogLevel.Information, "The JetStream consumer '{Consumer}' was updated to the SDK's settings ({Differences})")]
    public static partial void ConsumerUpdated(ILogger logger, string consumer, string differences);

    [LoggerMessage(62, LogLevel.Warning, "The stored message {Sequence} on '{Subject}' could not be settled ({Reason}): JetStream delivers it again after its ack wait")]
    public static partial void SettleFailed(ILogger logger, string subject, ulong sequence, string reason);

    [LoggerMessage(63, LogLevel.Debug, "The stored call {RequestId} on '{Subject}' was dropped without running: its deadline passed (stored at {StoredAt:O})")]
    public static partial void Expired(ILogger logger, string subject, string? requestId, DateTimeOffset storedAt);

    [LoggerMessage(64, LogLevel.Warning, "The stored message {Sequence} on '{Subject}' was parked on '{ParkedSubject}' after {Attempts} deliveries ({Code})")]
    public static partial void Parked(ILogger logger, string subject, ulong sequence, int attempts, string code, string parkedSubject);

    [LoggerMessage(65, LogLevel.Error, "The stored message {Sequence} on '{Subject}' could not be parked on '{ParkedSubject}' ({Reason}): it is handed back and tried again later")]
    public static partial void ParkFailed(ILogger logger, string subject, ulong sequence, string parkedSubject, string reason);

    [LoggerMessage(66, LogLevel.Warning, "Taking stored work on '{Subject}' failed ({Reason}): trying again until JetStream answers (logged once per outage)")]
    public static partial void PullFailed(ILogger logger, string subject, string reason);

    [LoggerMessage(67, LogLevel.Information, "Taking stored work on '{Subject}' again")]
    public static partial void PullResumed(ILogger logger, string subject);

    [LoggerMessage(68, LogLevel.Warning, "The contract {Contract} has durable methods but the bus runs on memory://, which has no JetStream: they are served over core subjects only")]
    public static partial void NoJetStreamInMemory(ILogger logger, string contract);

    [LoggerMessage(69, LogLevel.Warning, "The completion record '{Key}' in '{Bucket}' could not be read ({Reason}): the stored message runs (at least once)")]
    public static partial void RecordUnreadable(ILogger logger, string bucket, string key, string reason);

    [LoggerMessage(70, LogLevel.Warning, "The completion record '{Key}' in '{Bucket}' could not be written ({Reason}): the message is acknowledged; were it delivered again, it would run again")]
    public static partial void RecordNotWritten(ILogger logger, string bucket, string key, string reason);

    [LoggerMessage(71, LogLevel.Warning, "Durable calls on '{Subject}' time out after {Timeout}, within their consumer's ack wait of {AckWait}: a redelivery after a server died on it comes after its caller stopped waiting")]
    public static partial void TimeoutWithinAckWait(ILogger logger, string subject, TimeSpan timeout, TimeSpan ackWait);

    [LoggerMessage(72, LogLevel.Error, "The NATS server refused '{Right}' ({ServerError}): this server stops taking the stored work of '{Subject}', which would otherwise be delivered to it again and again. Give its NATS user the right to publish on '{Right}' (docs/nats-notes.md, \"Durable work\"), then serve again; what it held goes to another server after its ack wait")]
    public static partial void WorkRefused(ILogger logger, string subject, string right, string serverError);

    [LoggerMessage(73, LogLevel.Warning, "A stored message on '{Subject}' was neither run nor settled ({Problem}): JetStream delivers it again after its ack wait")]
    public static partial void NotAdmitted(ILogger logger, string subject, string problem);
}
