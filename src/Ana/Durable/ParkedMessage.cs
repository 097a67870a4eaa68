namespace Ana;

/// <summary>
/// A stored message the agents' servers gave up on, as the parked stream keeps it (<see cref="DurableWork"/>): the
/// envelope as it was stored, where it came from and why it was parked (docs/durable.md, "Failures and parking").
/// </summary>
public sealed class ParkedMessage
{
    internal ParkedMessage(
        ulong sequence,
        string agent,
        string topic,
        string originalSubject,
        ulong originalSequence,
        int attempts,
        string errorCode,
        string error,
        DateTimeOffset? storedAt,
        DateTimeOffset parkedAt,
        string parkedBy,
        ReadOnlyMemory<byte> envelope)
    {
        Sequence = sequence;
        Agent = agent;
        Topic = topic;
        OriginalSubject = originalSubject;
        OriginalSequence = originalSequence;
        Attempts = attempts;
        ErrorCode = errorCode;
        Error = error;
        StoredAt = storedAt;
        ParkedAt = parkedAt;
        ParkedBy = parkedBy;
        Envelope = envelope;
    }

    /// <summary>Its sequence number in the parked stream: what <see cref="DurableWork.ReplayParkedAsync"/> and <see cref="DurableWork.DropParkedAsync"/> take.</summary>
    public ulong Sequence { get; }

    /// <summary>The agent it was for.</summary>
    public string Agent { get; }

    /// <summary>Its topic.</summary>
    public string Topic { get; }

    /// <summary>The work subject it was stored on, where a replay stores it again: <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>.</summary>
    public string OriginalSubject { get; }

    /// <summary>Its sequence number in the work stream.</summary>
    public ulong OriginalSequence { get; }

    /// <summary>How many times it had been delivered when it was parked.</summary>
    public int Attempts { get; }

    /// <summary>The error code of its last failure: the handler's, <c>internal</c>, <c>parked</c> (servers died on it) or <c>bad_request</c> (it cannot be read).</summary>
    public string ErrorCode { get; }

    /// <summary>The message of its last failure (one line, at most 1 KiB; an exception's message only when the server exposes them).</summary>
    public string Error { get; }

    /// <summary>When the work stream stored it, by the NATS server's clock; <see langword="null"/> when the header is missing.</summary>
    public DateTimeOffset? StoredAt { get; }

    /// <summary>When it was parked, by the NATS server's clock.</summary>
    public DateTimeOffset ParkedAt { get; }

    /// <summary>The identity of the bus that parked it.</summary>
    public string ParkedBy { get; }

    /// <summary>The stored envelope, a <c>query</c> as its caller wrote it (or the bytes that could not be read as one).</summary>
    public ReadOnlyMemory<byte> Envelope { get; }
}
