namespace Ana;

/// <summary>The error codes the runtime itself puts into <see cref="ReplyError.Code"/>.</summary>
public static class AnaErrorCodes
{
    /// <summary>The handler failed; the message is hidden unless the server exposes exception messages.</summary>
    public const string Internal = "internal";

    /// <summary>The query's arguments could not be read.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The agent serves no such topic.</summary>
    public const string NotFound = "not_found";

    /// <summary>The deadline passed before the handler finished. This runtime sends no reply once a query's <c>timeout_s</c> has passed, since the caller stopped waiting; other peers may send this code.</summary>
    public const string Timeout = "timeout";

    /// <summary>The reply does not fit what the contract says the method returns.</summary>
    public const string BadResponse = "bad_response";

    /// <summary>Nobody subscribes to the query's subject.</summary>
    public const string NoResponders = "no_responders";

    /// <summary>
    /// The NATS server refused a subscription for lack of permission. Local only (the code of
    /// <see cref="AnaPermissionException"/>); the runtime never sends it in a reply.
    /// </summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary>
    /// The agent is stopping: it received the query but will not start it (sent to queries that were queued when a
    /// subscription or bus began to drain). Another agent of the same queue group may take it; retrying is safe.
    /// </summary>
    public const string Unavailable = "unavailable";

    /// <summary>
    /// The agent is busy: every handler slot is taken and its queue is full (<see cref="Contracts.ServeOptions.MaxQueue"/>),
    /// so it refused the query at once rather than let it wait. It did not start it: another agent of the same queue
    /// group may take it, and retrying later is safe. Callers see <see cref="AnaOverloadedException"/>.
    /// </summary>
    public const string Overloaded = "overloaded";

    /// <summary>
    /// A durable call or message needs JetStream, which the server does not run (it was started without <c>-js</c>, the
    /// account has no JetStream, or the transport is <c>memory://</c>). Nothing was stored.
    /// </summary>
    public const string JetStreamUnavailable = "jetstream_unavailable";

    /// <summary>
    /// A durable message was not confirmed as stored: no stream stores its subject, or no acknowledgement came in time
    /// (then it may have been stored; publishing it again with the same idempotency key stores it at most once within
    /// the stream's duplicate window).
    /// </summary>
    public const string NotStored = "not_stored";

    /// <summary>
    /// A durable call was parked instead of run: it was delivered more times than its method's <c>MaxAttempts</c> (servers
    /// died while running it). Its stored query waits on the agent's <c>parked</c> subject for an operator (docs/durable.md).
    /// </summary>
    public const string Parked = "parked";

    /// <summary>
    /// The agent started the call but stopped before it finished, and cancelled it (a drain's timeout or the host's
    /// shutdown timeout passed, or the subscription was disposed). It may have done part of its work: retry only what is
    /// safe to run twice.
    /// </summary>
    public const string Cancelled = "cancelled";
}
