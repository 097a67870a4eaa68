using System.Text.Json;

namespace Ana;

/// <summary>
/// Reads the two envelopes of every call, <see cref="Query"/> and <see cref="Reply"/>, straight off a
/// <see cref="Utf8JsonReader"/>. Their <c>required</c>/<c>init</c> members make the serializer build them through its
/// parameterized-constructor path, which boxes every value into an argument array: that path took a fifth of a
/// served call's CPU time and a few hundred bytes per envelope. The rules are the serializer's (a test holds both
/// to the same results): unknown fields are skipped, the last of duplicate fields wins, optional fields may be absent
/// or <c>null</c>, a missing required field is an error; a non-finite <c>timeout_s</c> is refused.
/// </summary>
/// <remarks>Semantic errors are thrown as <see cref="JsonException"/>; <see cref="EnvelopeSerializer"/> wraps them.</remarks>
internal static class HotEnvelopeReader
{
    /// <summary>
    /// Reads a query from <paramref name="reader"/>, positioned on the envelope's opening brace or on the value of a
    /// property already read; its <c>data</c> is kept as the bytes it came as, read when first asked for.
    /// </summary>
    public static Query ReadQuery(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json)
    {
        Common common = default;
        string? to = null, text = null, requestId = null;
        bool hasTo = false, hasText = false;
        IReadOnlyList<string>? fields = null;
        int dataStart = 0, dataLength = 0;
        double? timeoutSeconds = null;
        int? streamWindow = null;
        bool? progress = null;
        double? heartbeatSeconds = null;
        while (NextProperty(ref reader))
        {
            if (common.TryRead(ref reader))
            {
                continue;
            }

            if (reader.ValueTextEquals("to"u8))
            {
                (to, hasTo) = (ReadString(ref reader, "to", recurring: true), true);
            }
            else if (reader.ValueTextEquals("query"u8))
            {
                (text, hasText) = (ReadString(ref reader, "query", recurring: true), true);
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                requestId = ReadString(ref reader, "request_id");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                (dataStart, dataLength) = LocateData(ref reader);
            }
            else if (reader.ValueTextEquals("timeout_s"u8))
            {
                timeoutSeconds = ReadNumber(ref reader, "timeout_s");
            }
            else if (reader.ValueTextEquals("stream_window"u8))
            {
                streamWindow = (int?)ReadInteger(ref reader, "stream_window", int.MinValue, int.MaxValue);
            }
            else if (reader.ValueTextEquals("progress"u8))
            {
                progress = ReadBoolean(ref reader, "progress");
            }
            else if (reader.ValueTextEquals("heartbeat_s"u8))
            {
                heartbeatSeconds = ReadNumber(ref reader, "heartbeat_s");
            }
            else if (reader.ValueTextEquals("fields"u8))
            {
                fields = ReadStrings(ref reader, "fields");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        End(ref reader);
        common.ThrowIfMissing();
        ThrowIfMissing(hasTo, "to");
        ThrowIfMissing(hasText, "query");
        return new Query
        {
            From = common.From!,
            Ts = common.Ts,
            Clock = common.Clock,
            Host = common.Host,
            To = to!,
            Text = text!,
            Fields = fields,
            RequestId = requestId,
            Received = dataLength > 0 ? utf8Json.Slice(dataStart, dataLength).ToArray() : null,
            TimeoutSeconds = timeoutSeconds,
            StreamWindow = streamWindow,
            Progress = progress,
            HeartbeatSeconds = heartbeatSeconds,
        };
    }

    /// <summary>
    /// Reads a reply from <paramref name="reader"/>, positioned on the envelope's opening brace or on the value of a
    /// property already read, with its <c>data</c> as a document.
    /// </summary>
    public static Reply ReadReply(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json)
    {
        ReplyFrame frame = ReadReplyFrame(ref reader);
        return new Reply
        {
            From = frame.From,
            Ts = frame.Ts,
            Clock = frame.Clock,
            Host = frame.Host,
            ReplyFor = frame.ReplyFor,
            RequestId = frame.RequestId,
            Data = frame.HasData ? ParseData(frame.DataOf(utf8Json)) : null,
            Error = frame.Error,
            Sequence = frame.Sequence,
            End = frame.End,
        };
    }

    /// <summary>
    /// Reads a reply from <paramref name="reader"/> (positioned as for <see cref="ReadReply"/>) with every check, but its
    /// <c>data</c> only located, not parsed: a typed call reads its result from those bytes.
    /// </summary>
    public static ReplyFrame ReadReplyFrame(ref Utf8JsonReader reader)
    {
        Common common = default;
        string? replyFor = null, requestId = null;
        bool hasReplyFor = false;
        int dataStart = 0, dataLength = 0;
        ReplyError? error = null;
        long? sequence = null;
        bool? end = null;
        while (NextProperty(ref reader))
        {
            if (common.TryRead(ref reader))
            {
                continue;
            }

            if (reader.ValueTextEquals("reply_for"u8))
            {
                (replyFor, hasReplyFor) = (ReadString(ref reader, "reply_for", recurring: true), true);
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                requestId = ReadString(ref reader, "request_id");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                (dataStart, dataLength) = LocateData(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                error = ReadError(ref reader);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                sequence = ReadInteger(ref reader, "seq", long.MinValue, long.MaxValue);
            }
            else if (reader.ValueTextEquals("end"u8))
            {
                end = ReadBoolean(ref reader, "end");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        End(ref reader);
        common.ThrowIfMissing();
        ThrowIfMissing(hasReplyFor, "reply_for");
        return new ReplyFrame(common.From!, common.Ts, common.Clock, common.Host, replyFor!, requestId, error, dataStart, dataLength) { Sequence = sequence, End = end };
    }

    /// <summary>After the envelope's closing brace only whitespace may follow (the reader throws on anything else).</summary>
    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("something follows the envelope's closing brace.");
        }
    }

    /// <summary>Moves to the next property name; false at the end of the object.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndObject;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    // recurring: the field holds names that recur from message to message (see RecurringStrings).
    private static string? ReadString(ref Utf8JsonReader reader, string field, bool recurring = false)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => recurring ? RecurringStrings.Read(ref reader) : reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType(ref reader, field, "a string"),
        };
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetDouble(out double value) && double.IsFinite(value) => value,
            _ => throw WrongType(ref reader, field, "a finite number"),
        };
    }

    /// <summary>An integer between <paramref name="min"/> and <paramref name="max"/> as the serializer reads one: no fraction, no exponent, no string.</summary>
    private static long? ReadInteger(ref Utf8JsonReader reader, string field, long min, long max)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetInt64(out long value) && value >= min && value <= max => value,
            _ => throw WrongType(ref reader, field, "an integer"),
        };
    }

    private static bool? ReadBoolean(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw WrongType(ref reader, field, "a boolean"),
        };
    }

    private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader)
    {
        try
        {
            return IsoTimestamp.Read(ref reader);
        }
        catch (JsonException)
        {
            throw new JsonException("field 'ts' must be an ISO-8601 timestamp.");
        }
    }

    /// <summary>Where the value of <c>data</c> lies in the envelope (checked as JSON on the way); an empty range for <c>null</c>.</summary>
    private static (int Start, int Length) LocateData(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (0, 0);
        }

        int start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return (start, checked((int)reader.BytesConsumed) - start);
    }

    /// <summary>A value of <c>data</c>, located by <see cref="ReadReplyFrame"/> (and so checked), as a document.</summary>
    public static JsonElement ParseData(ReadOnlySpan<byte> value)
    {
        Utf8JsonReader reader = new(value, new JsonReaderOptions { MaxDepth = EnvelopeSerializer.MaxDepth });
        reader.Read();
        return JsonElement.ParseValue(ref reader);
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(ref reader, field, "an array of strings");
        }

        List<string> values = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => null!,
                _ => throw WrongType(ref reader, field, "an array of strings"),
            });
        }

        return values;
    }

    private static ReplyError? ReadError(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(ref reader, "error", "an object");
        }

        string? code = null, message = null;
        bool hasCode = false, hasMessage = false;
        ErrorOrigin? origin = null;
        List<ErrorOrigin?>? via = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("code"u8))
            {
                (code, hasCode) = (ReadString(ref reader, "error.code"), true);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                (message, hasMessage) = (ReadString(ref reader, "error.message"), true);
            }
            else if (reader.ValueTextEquals("origin"u8))
            {
                reader.Read();
                origin = ReadOrigin(ref reader, "error.origin");
            }
            else if (reader.ValueTextEquals("via"u8))
            {
                via = ReadVia(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        ThrowIfMissing(hasCode, "error.code");
        ThrowIfMissing(hasMessage, "error.message");
        return new ReplyError { Code = code!, Message = message!, Origin = origin, Via = via };
    }

    /// <summary>An <see cref="ErrorOrigin"/>, or <c>null</c>; the reader is on its first token.</summary>
    private static ErrorOrigin? ReadOrigin(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(ref reader, field, "an object");
        }

        string? agent = null, topic = null, requestId = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("agent"u8))
            {
                agent = ReadString(ref reader, field + ".agent", recurring: true);
            }
            else if (reader.ValueTextEquals("topic"u8))
            {
                topic = ReadString(ref reader, field + ".topic", recurring: true);
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                requestId = ReadString(ref reader, field + ".request_id");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new ErrorOrigin { Agent = agent, Topic = topic, RequestId = requestId };
    }

    private static List<ErrorOrigin?>? ReadVia(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(ref reader, "error.via", "an array");
        }

        List<ErrorOrigin?> via = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            via.Add(ReadOrigin(ref reader, "error.via"));
        }

        return via;
    }

    private static void ThrowIfMissing(bool present, string field)
    {
        if (!present)
        {
            throw new JsonException($"required field '{field}' is missing.");
        }
    }

    private static JsonException WrongType(ref Utf8JsonReader reader, string field, string expected)
        => new($"field '{field}' must be {expected}, not {Describe(reader.TokenType)}.");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The fields every envelope has.</summary>
    private struct Common
    {
        public string? From;
        public DateTimeOffset Ts;
        public EnvelopeClock? Clock;
        public string? Host;
        private bool _hasFrom;
        private bool _hasTs;

        /// <summary>Reads the property the reader is on if it is a common one (<c>type</c> included, already known).</summary>
        public bool TryRead(ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("from"u8))
            {
                (From, _hasFrom) = (ReadString(ref reader, "from", recurring: true), true);
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                (Ts, _hasTs) = (ReadTimestamp(ref reader), true);
            }
            else if (reader.ValueTextEquals("clock"u8))
            {
                reader.Read();
                Clock = reader.TokenType == JsonTokenType.Null ? null : EnvelopeClockConverter.ReadClock(ref reader);
            }
            else if (reader.ValueTextEquals("host"u8))
            {
                Host = ReadString(ref reader, "host", recurring: true);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                SkipValue(ref reader);
            }
            else
            {
                return false;
            }

            return true;
        }

        public readonly void ThrowIfMissing()
        {
            HotEnvelopeReader.ThrowIfMissing(_hasFrom, "from");
            HotEnvelopeReader.ThrowIfMissing(_hasTs, "ts");
        }
    }
}
