namespace Ana.Durable;

/// <summary>The counts of durable work behind <see cref="AgentBusStatistics"/>, each changed with <see cref="Interlocked"/>.</summary>
internal sealed class DurableCounters
{
#pragma warning disable SA1401 // Fields counted with Interlocked, by reference.
    public long Published;
    public long Duplicates;
    public long Received;
    public long Redelivered;
    public long RecordHits;
    public long Expired;
    public long Retried;
    public long Parked;
    public long ParkFailures;
#pragma warning restore SA1401

    /// <summary>Counts a storage JetStream confirmed.</summary>
    public void Stored(DurableReceipt receipt)
    {
        Interlocked.Increment(ref Published);
        if (receipt.Duplicate)
        {
            Interlocked.Increment(ref Duplicates);
        }
    }
}
