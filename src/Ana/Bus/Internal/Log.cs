using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>The bus's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Dropped a malformed message on '{Subject}': {Problem}")]
    public static partial void MalformedMessage(ILogger logger, string subject, string problem);

    [LoggerMessage(2, LogLevel.Debug, "Dropped a reply on '{Subject}' with request id '{RequestId}': unknown, late, a duplicate, or not where its call listens")]
    public static partial void UnmatchedReply(ILogger logger, string subject, string? requestId);

    [LoggerMessage(3, LogLevel.Error, "The handler for '{Subject}' failed")]
    public static partial void HandlerFailed(ILogger logger, string subject, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Handlers on '{Subject}' did not finish within {Timeout} after the subscription stopped")]
    public static partial void HandlersDidNotStop(ILogger logger, string subject, TimeSpan timeout);

    [LoggerMessage(5, LogLevel.Warning, "Could not write the audit log '{Path}'")]
    public static partial void AuditLogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Could not lock the audit log '{Path}' within 10 s: it is appended without the lock from now on, and lines from other processes may overwrite each other")]
    public static partial void AuditLogNotLocked(ILogger logger, string path, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "Dropped a {Type} envelope on the reply path '{Subject}': only replies are expected there")]
    public static partial void NotAReply(ILogger logger, string subject, string type);

    [LoggerMessage(7, LogLevel.Warning, "Dropped a query on '{Subject}' ({SubjectBytes} bytes) with reply-to '{ReplyTo}': no answer could be sent, {Problem}")]
    public static partial void UnanswerableQuery(ILogger logger, string subject, int subjectBytes, string replyTo, string problem);

    [LoggerMessage(20, LogLevel.Warning, "Handlers on '{Subject}' did not finish while the subscription drained: they are cancelled now")]
    public static partial void DrainTimedOut(ILogger logger, string subject);

    [LoggerMessage(22, LogLevel.Warning, "The server refused the subscription to '{BareSubject}' (queries with no topic): only '{Subject}' is served. Allow subscribing to '{BareSubject}' to answer them. Server: {Problem}")]
    public static partial void BareSubjectRefused(ILogger logger, string bareSubject, string subject, string problem);

    [LoggerMessage(21, LogLevel.Warning, "Could not answer a query on '{Subject}' that arrived while the subscription drained")]
    public static partial void RefusalFailed(ILogger logger, string subject, Exception exception);

    [LoggerMessage(23, LogLevel.Debug, "Dropped a query on '{Subject}' with request id '{RequestId}' without running it: its caller's deadline passed while it waited for a handler slot")]
    public static partial void QueryExpired(ILogger logger, string subject, string? requestId);

    [LoggerMessage(24, LogLevel.Debug, "Refused a query on '{Subject}' as overloaded: all {Slots} handler slots are busy and {Queued} queries wait")]
    public static partial void QueryOverloaded(ILogger logger, string subject, int slots, int queued);

    [LoggerMessage(25, LogLevel.Debug, "Dropped a control message on '{Subject}' for request id '{RequestId}': {Reason}")]
    public static partial void ControlDropped(ILogger logger, string subject, string? requestId, string reason);

    [LoggerMessage(26, LogLevel.Warning, "The server refused the subscription to '{Subject}' (callers' stream credit and cancellation): calls are served, but a caller's cancellation does not reach them and streams are refused. Allow subscribing to '{Subject}'. Server: {Problem}")]
    public static partial void ControlSubjectRefused(ILogger logger, string subject, string problem);
}
