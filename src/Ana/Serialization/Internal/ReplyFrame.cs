namespace Ana;

/// <summary>
/// A reply as read for the call that waits for it: every field but <c>data</c>, which stays where it is in the
/// envelope's bytes (<see cref="DataStart"/>, <see cref="DataLength"/>) until the call reads it, as its result type or as
/// a document. Checked as <see cref="Reply"/> is: a frame is only made of a valid reply.
/// </summary>
internal readonly record struct ReplyFrame(
    string From,
    DateTimeOffset Ts,
    EnvelopeClock? Clock,
    string? Host,
    string ReplyFor,
    string? RequestId,
    ReplyError? Error,
    int DataStart,
    int DataLength)
{
    /// <summary>The reply's place in a stream (<c>seq</c>), or <see langword="null"/> on the single reply of a plain query.</summary>
    public long? Sequence { get; init; }

    /// <summary>Whether the reply ends a stream (<c>end</c>).</summary>
    public bool? End { get; init; }

    /// <summary>Whether the reply has <c>data</c> other than <c>null</c>.</summary>
    public bool HasData => DataLength > 0;

    /// <summary>The value of <c>data</c> in <paramref name="utf8Json"/>, the envelope the frame was read from.</summary>
    public ReadOnlySpan<byte> DataOf(ReadOnlySpan<byte> utf8Json) => utf8Json.Slice(DataStart, DataLength);

    /// <summary>Throws <see cref="AnaEnvelopeException"/> when a required field holds JSON <c>null</c>, as <see cref="Reply"/>'s own check does.</summary>
    public void Validate()
    {
        Require(From, "from");
        Require(ReplyFor, "reply_for");
        if (Error is { } error)
        {
            Require(error.Code, "error.code");
            Require(error.Message, "error.message");
        }

        if (Sequence is < 1)
        {
            throw new AnaEnvelopeException($"Invalid reply envelope: 'seq' must be at least 1, not {Sequence}.");
        }
    }

    private static void Require(string? value, string field)
    {
        if (value is null)
        {
            throw new AnaEnvelopeException($"Invalid reply envelope: required field '{field}' is null.");
        }
    }
}
