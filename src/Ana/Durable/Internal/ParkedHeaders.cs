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

    /// <summary>
    /// The headers of a message read with <c>STREAM.MSG.GET</c> (<paramref name="base64"/>: the NATS header block,
    /// <c>NATS/1.0</c> then one <c>Name: value</c> per line, in base64), by name; empty when there are none.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string? base64)
    {
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(base64))
        {
            return headers;
        }

        string block;
        try
        {
            block = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return headers;
        }

        foreach (string line in block.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith("NATS/", StringComparison.Ordinal))
            {
                headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        return headers;
    }
}
