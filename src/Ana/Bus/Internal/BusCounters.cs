using Ana.Telemetry;

namespace Ana;

/// <summary>
/// The live counters behind <see cref="AgentBusStatistics"/>, each also counted by its instrument of the
/// <see cref="AnaTelemetry.MeterName"/> meter, tagged with the bus's identity (<c>ana.identity</c>).
/// </summary>
internal sealed class BusCounters
{
    private readonly KeyValuePair<string, object?> _identity;
    private long _published;
    private long _received;
    private long _malformed;
    private long _unmatchedReplies;
    private long _handlerFailures;
    private long _unanswerableQueries;
    private long _overloadedQueries;
    private long _expiredQueries;
    private long _droppedControlMessages;

    public BusCounters(string identity) => _identity = new("ana.identity", identity);

    public void Published()
    {
        Interlocked.Increment(ref _published);
        Instrumentation.Published.Add(1, _identity);
    }

    public void Received()
    {
        Interlocked.Increment(ref _received);
        Instrumentation.Received.Add(1, _identity);
    }

    public void Malformed()
    {
        Interlocked.Increment(ref _malformed);
        Instrumentation.Malformed.Add(1, _identity);
    }

    public void UnmatchedReply()
    {
        Interlocked.Increment(ref _unmatchedReplies);
        Instrumentation.UnmatchedReplies.Add(1, _identity);
    }

    public void HandlerFailed()
    {
        Interlocked.Increment(ref _handlerFailures);
        Instrumentation.HandlerFailures.Add(1, _identity);
    }

    public void UnanswerableQuery()
    {
        Interlocked.Increment(ref _unanswerableQueries);
        Instrumentation.UnanswerableQueries.Add(1, _identity);
    }

    public void OverloadedQuery()
    {
        Interlocked.Increment(ref _overloadedQueries);
        Instrumentation.OverloadedQueries.Add(1, _identity);
    }

    public void ExpiredQuery()
    {
        Interlocked.Increment(ref _expiredQueries);
        Instrumentation.ExpiredQueries.Add(1, _identity);
    }

    public void DroppedControlMessage() => Interlocked.Increment(ref _droppedControlMessages);

    /// <summary>What durable work did: counted apart, as only buses that use JetStream have any.</summary>
    public Durable.DurableCounters Durable { get; } = new();

    public AgentBusStatistics Snapshot() => new(
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _unmatchedReplies),
        Interlocked.Read(ref _handlerFailures))
    {
        UnanswerableQueries = Interlocked.Read(ref _unanswerableQueries),
        OverloadedQueries = Interlocked.Read(ref _overloadedQueries),
        ExpiredQueries = Interlocked.Read(ref _expiredQueries),
        DroppedControlMessages = Interlocked.Read(ref _droppedControlMessages),
        DurablePublished = Interlocked.Read(ref Durable.Published),
        DurableDuplicates = Interlocked.Read(ref Durable.Duplicates),
        DurableReceived = Interlocked.Read(ref Durable.Received),
        DurableRedelivered = Interlocked.Read(ref Durable.Redelivered),
        DurableCompletionHits = Interlocked.Read(ref Durable.RecordHits),
        DurableExpired = Interlocked.Read(ref Durable.Expired),
        DurableRetried = Interlocked.Read(ref Durable.Retried),
        DurableParked = Interlocked.Read(ref Durable.Parked),
        DurableParkFailures = Interlocked.Read(ref Durable.ParkFailures),
    };
}
