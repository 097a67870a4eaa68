namespace Ana.Durable;

/// <summary>The headers of a parked copy (docs/protocol.md, "Parked messages"): where it was stored, why it was parked, by whom.</summary>
internal static class ParkedHeaders
{
    /// <summary>The subject it was stored on (<c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>), where a replay publishes it again.</summary>
    public const string Subject = "Ana-Parked-Subject";

    /// <summary>Its sequence number in the work stream.</summary>
    public const string Sequence = "Ana-Parked-Sequence";

    /// <summary>How many times it had been delivered.</summary>
    public const string Attempts = "Ana-Parked-Attempts";

    /// <summary>The error code of its last failure (<c>parked</c> when servers died on it, <c>bad_request</c> when it cannot be read).</summary>
    public const string ErrorCode = "Ana-Parked-Error-Code";

    /// <summary>The message of its last failure, one line of at most 1 KiB.</summary>
    public const string Error = "Ana-Parked-Error";

    /// <summary>When the work stream stored it, ISO 8601.</summary>
    public const string StoredAt = "Ana-Parked-Stored-At";

    /// <summary>The identity of the bus that parked it.</summary>
    public const string By = "Ana-Parked-By";
}
