namespace Ana;

/// <summary>Counts of what an <see cref="AgentBus"/> has done since it connected.</summary>
/// <param name="Published">Envelopes published.</param>
/// <param name="Received">Envelopes received and parsed on any subscription.</param>
/// <param name="Malformed">Messages dropped because they were not valid envelopes.</param>
/// <param name="UnmatchedReplies">Replies dropped because their request id was unknown, late or a duplicate.</param>
/// <param name="HandlerFailures">Inbound handlers that threw.</param>
public readonly record struct AgentBusStatistics(
    long Published,
    long Received,
    long Malformed,
    long UnmatchedReplies,
    long HandlerFailures)
{
    /// <summary>
    /// Queries dropped before any handler saw them because no answer could be sent: their reply subject or reply-to was
    /// not a valid subject (a wildcard, whitespace, a control character, an empty token, a name over its cap) or would make
    /// a protocol line longer than <see cref="AgentBusOptions.MaxControlLineBytes"/>, which would get the bus's connection
    /// closed by the server.
    /// </summary>
    public long UnanswerableQueries { get; init; }

    /// <summary>
    /// Queries refused at once with an <see cref="AnaErrorCodes.Overloaded"/> error reply, without running, because every
    /// handler slot of their subscription was taken and its queue was full (see <see cref="Contracts.ServeOptions.MaxQueue"/>).
    /// </summary>
    public long OverloadedQueries { get; init; }

    /// <summary>
    /// Queries dropped without running, and without a reply, because their caller had stopped waiting before a handler
    /// could start them: their deadline (<c>timeout_s</c>) had passed while they waited for a slot.
    /// </summary>
    public long ExpiredQueries { get; init; }

    /// <summary>
    /// Callers' control messages (stream credit, cancellation) dropped without effect: for a call this bus is not serving
    /// (unknown, already ended, or served by another member of the queue group, since every member hears them), from an
    /// agent other than the call's caller, or not a control message at all.
    /// </summary>
    public long DroppedControlMessages { get; init; }

    /// <summary>Durable messages and calls JetStream confirmed as stored (<see cref="AgentBus.EnqueueDurableAsync"/>, durable contract methods).</summary>
    public long DurablePublished { get; init; }

    /// <summary>Durable publishes JetStream found already stored within its duplicate window (the same idempotency key or a retried publish): stored once.</summary>
    public long DurableDuplicates { get; init; }

    /// <summary>Stored messages this bus's servers took from JetStream.</summary>
    public long DurableReceived { get; init; }

    /// <summary>Stored messages taken that had been delivered before (a server died, an acknowledgement was lost, a retry).</summary>
    public long DurableRedelivered { get; init; }

    /// <summary>Stored messages acknowledged without running because their completion record said they were done (a call's recorded reply sent again).</summary>
    public long DurableCompletionHits { get; init; }

    /// <summary>Stored calls acknowledged without running because their deadline (storage time plus <c>timeout_s</c>) had passed.</summary>
    public long DurableExpired { get; init; }

    /// <summary>Stored one-way messages whose handler failed, handed back to JetStream to be tried again after a delay.</summary>
    public long DurableRetried { get; init; }

    /// <summary>Stored messages parked on the agent's <c>parked</c> subject: out of attempts, or never readable.</summary>
    public long DurableParked { get; init; }

    /// <summary>Stored messages that could not be parked (the parked stream refused them): handed back to be tried again.</summary>
    public long DurableParkFailures { get; init; }
}
