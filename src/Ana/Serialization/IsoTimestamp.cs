using System.Globalization;
using System.Text.Json;

namespace Ana;

/// <summary>
/// ISO-8601 timestamps as Python's <c>datetime.isoformat()</c> writes and reads them: microsecond precision,
/// <c>Z</c> or a <c>±hh:mm</c> offset. A timestamp without an offset is taken as UTC, never as this machine's local time.
/// </summary>
internal static class IsoTimestamp
{
    private const string UtcFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFF'Z'";
    private const string OffsetFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFzzz";
    private const int MaxLength = 64;

    public static DateTimeOffset Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out DateTimeOffset value))
        {
            throw new JsonException("The value is not an ISO-8601 timestamp.");
        }

        return HasOffset(ref reader) ? value : new DateTimeOffset(value.DateTime, TimeSpan.Zero);
    }

    public static void WriteUtc(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        value.UtcDateTime.TryFormat(buffer, out int written, UtcFormat, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    public static void WriteWithOffset(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        value.TryFormat(buffer, out int written, OffsetFormat, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    private static bool HasOffset(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return HasOffset(reader.ValueSpan);
        }

        Span<byte> scratch = stackalloc byte[MaxLength];
        return HasOffset(scratch[..reader.CopyString(scratch)]);
    }

    private static bool HasOffset(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && (text[^1] == (byte)'Z' || text[^1] == (byte)'z'))
        {
            return true;
        }

        // "±hh:mm" or "±hhmm" after the time of day.
        int timeStart = text.IndexOf((byte)'T');
        return timeStart >= 0 && text[timeStart..].IndexOfAny((byte)'+', (byte)'-') >= 0;
    }
}
