namespace Ana;

/// <summary>The live counters behind <see cref="AgentBusStatistics"/>.</summary>
internal sealed class BusCounters
{
    private long _published;
    private long _received;
    private long _malformed;
    private long _unmatchedReplies;
    private long _handlerFailures;
    private long _unanswerableQueries;

    public void Published() => Interlocked.Increment(ref _published);

    public void Received() => Interlocked.Increment(ref _received);

    public void Malformed() => Interlocked.Increment(ref _malformed);

    public void UnmatchedReply() => Interlocked.Increment(ref _unmatchedReplies);

    public void HandlerFailed() => Interlocked.Increment(ref _handlerFailures);

    public void UnanswerableQuery() => Interlocked.Increment(ref _unanswerableQueries);

    public AgentBusStatistics Snapshot() => new(
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _unmatchedReplies),
        Interlocked.Read(ref _handlerFailures))
    {
        UnanswerableQueries = Interlocked.Read(ref _unanswerableQueries),
    };
}
