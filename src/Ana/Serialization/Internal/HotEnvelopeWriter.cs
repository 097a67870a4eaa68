using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ana;

/// <summary>
/// Writes the two envelopes of every call, <see cref="Query"/> and <see cref="Reply"/>, straight into a
/// <see cref="Utf8JsonWriter"/>, with their <c>data</c> written in place from what it was made of (see
/// <see cref="IEnvelopeData"/>). Writing a record through the serializer needs the record and its clock as objects
/// and the <c>data</c> as a <see cref="JsonElement"/>: for a typed call that meant serializing the arguments or the
/// result into a document first, then writing the document again. The bytes are the serializer's, field for field
/// and in its order (a test holds both to the same output): <c>type</c> and <c>from</c> first, the shape's own fields,
/// then <c>clock</c>, <c>host</c> and <c>ts</c>; a <see langword="null"/> field is omitted.
/// </summary>
internal static class HotEnvelopeWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static void WriteQuery<TData>(
        IBufferWriter<byte> destination,
        in EnvelopeStamp stamp,
        string to,
        string text,
        IReadOnlyList<string>? fields,
        string? requestId,
        in TData data,
        double? timeoutSeconds,
        in QueryExtras extras = default)
        where TData : struct, IEnvelopeData
    {
        Utf8JsonWriter writer = Rent(destination);
        try
        {
            WriteQuery(writer, stamp, to, text, fields, requestId, data, timeoutSeconds, extras);
            writer.Flush();
        }
        finally
        {
            Return(writer);
        }
    }

    public static void WriteReply<TData>(
        IBufferWriter<byte> destination,
        in EnvelopeStamp stamp,
        string replyFor,
        string? requestId,
        in TData data,
        ReplyError? error,
        long? sequence = null,
        bool? end = null)
        where TData : struct, IEnvelopeData
    {
        Utf8JsonWriter writer = Rent(destination);
        try
        {
            WriteReply(writer, stamp, replyFor, requestId, data, error, sequence, end);
            writer.Flush();
        }
        finally
        {
            Return(writer);
        }
    }

    public static void WriteQuery<TData>(
        Utf8JsonWriter writer,
        in EnvelopeStamp stamp,
        string to,
        string text,
        IReadOnlyList<string>? fields,
        string? requestId,
        in TData data,
        double? timeoutSeconds,
        in QueryExtras extras = default)
        where TData : struct, IEnvelopeData
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "query"u8);
        writer.WriteString("from"u8, stamp.From);
        writer.WriteString("to"u8, to);
        writer.WriteString("query"u8, text);
        if (fields is not null)
        {
            writer.WriteStartArray("fields"u8);
            for (int i = 0; i < fields.Count; i++)
            {
                writer.WriteStringValue(fields[i]);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, "request_id"u8, requestId);
        if (!data.IsAbsent)
        {
            writer.WritePropertyName("data"u8);
            data.Write(writer);
        }

        if (timeoutSeconds is { } seconds)
        {
            writer.WriteNumber("timeout_s"u8, seconds);
        }

        if (extras.StreamWindow is { } window)
        {
            writer.WriteNumber("stream_window"u8, window);
        }

        if (extras.Progress is { } progress)
        {
            writer.WriteBoolean("progress"u8, progress);
        }

        if (extras.HeartbeatSeconds is { } heartbeat)
        {
            writer.WriteNumber("heartbeat_s"u8, heartbeat);
        }

        WriteOrigin(writer, stamp);
        writer.WriteEndObject();
    }

    public static void WriteReply<TData>(
        Utf8JsonWriter writer,
        in EnvelopeStamp stamp,
        string replyFor,
        string? requestId,
        in TData data,
        ReplyError? error,
        long? sequence = null,
        bool? end = null)
        where TData : struct, IEnvelopeData
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "reply"u8);
        writer.WriteString("from"u8, stamp.From);
        writer.WriteString("reply_for"u8, replyFor);
        WriteOptional(writer, "request_id"u8, requestId);
        if (!data.IsAbsent)
        {
            writer.WritePropertyName("data"u8);
            data.Write(writer);
        }

        if (error is not null)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteString("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Origin is { } origin)
            {
                writer.WritePropertyName("origin"u8);
                WriteOrigin(writer, origin);
            }

            if (error.Via is { } via)
            {
                writer.WriteStartArray("via"u8);
                foreach (ErrorOrigin? hop in via)
                {
                    if (hop is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        WriteOrigin(writer, hop);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (sequence is { } seq)
        {
            writer.WriteNumber("seq"u8, seq);
        }

        if (end is { } ends)
        {
            writer.WriteBoolean("end"u8, ends);
        }

        WriteOrigin(writer, stamp);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes one item of a stream: a reply with its <paramref name="sequence"/> and only the fields an item needs
    /// (<c>from</c> and <c>ts</c>, no <c>clock</c> or <c>host</c>: the stream's query and its last reply carry the
    /// sender's origin, and an item is written for every value a stream yields).
    /// </summary>
    public static void WriteStreamItem<TData>(
        IBufferWriter<byte> destination,
        string from,
        DateTimeOffset ts,
        string replyFor,
        string? requestId,
        in TData data,
        long sequence)
        where TData : struct, IEnvelopeData
    {
        Utf8JsonWriter writer = Rent(destination);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "reply"u8);
            writer.WriteString("from"u8, from);
            writer.WriteString("reply_for"u8, replyFor);
            WriteOptional(writer, "request_id"u8, requestId);
            if (!data.IsAbsent)
            {
                writer.WritePropertyName("data"u8);
                data.Write(writer);
            }

            writer.WriteNumber("seq"u8, sequence);
            writer.WritePropertyName("ts"u8);
            IsoTimestamp.WriteUtc(writer, ts);
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            Return(writer);
        }
    }

    // The cached writer is taken, not borrowed: a write nested in another on this thread (a converter of the data
    // that writes an envelope, say) finds none and makes its own, so no two writes ever share one.
    private static Utf8JsonWriter Rent(IBufferWriter<byte> destination)
    {
        Utf8JsonWriter? writer = t_writer;
        t_writer = null;
        if (writer is null)
        {
            return new Utf8JsonWriter(destination, WriterOptions);
        }

        writer.Reset(destination);
        return writer;
    }

    private static void Return(Utf8JsonWriter writer)
    {
        writer.Reset(Stream.Null);
        t_writer = writer;
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOrigin(Utf8JsonWriter writer, ErrorOrigin origin)
    {
        writer.WriteStartObject();
        WriteOptional(writer, "agent"u8, origin.Agent);
        WriteOptional(writer, "topic"u8, origin.Topic);
        WriteOptional(writer, "request_id"u8, origin.RequestId);
        writer.WriteEndObject();
    }

    /// <summary><c>clock</c>, <c>host</c> and <c>ts</c>, as <see cref="EnvelopeClockConverter"/> and <see cref="UtcTimestampConverter"/> write them.</summary>
    private static void WriteOrigin(Utf8JsonWriter writer, in EnvelopeStamp stamp)
    {
        writer.WriteStartObject("clock"u8);
        writer.WritePropertyName("local_time"u8);
        IsoTimestamp.WriteWithOffset(writer, stamp.LocalTime);
        writer.WriteNumber("uptime_s"u8, stamp.UptimeSeconds);
        writer.WriteEndObject();
        writer.WriteString("host"u8, stamp.Host);
        writer.WritePropertyName("ts"u8);
        IsoTimestamp.WriteUtc(writer, stamp.Ts);
    }
}

/// <summary>The fields a query has for the calls that need them: a stream's window, progress, a heartbeat deadline.</summary>
internal readonly record struct QueryExtras(int? StreamWindow = null, bool? Progress = null, double? HeartbeatSeconds = null);
