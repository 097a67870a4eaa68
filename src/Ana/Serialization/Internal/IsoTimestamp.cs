using System.Text.Json;

namespace Ana;

/// <summary>
/// ISO-8601 timestamps as Python's <c>datetime.isoformat()</c> writes and reads them: microsecond precision,
/// <c>Z</c> or a <c>±hh:mm</c> offset. A timestamp without an offset is taken as UTC, never as this machine's local time.
/// </summary>
internal static class IsoTimestamp
{
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
        Span<byte> buffer = stackalloc byte[MaxLength];
        writer.WriteStringValue(buffer[..Format(buffer, value.UtcDateTime, offset: null)]);
    }

    public static void WriteWithOffset(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        writer.WriteStringValue(buffer[..Format(buffer, value.DateTime, value.Offset)]);
    }

    /// <summary>
    /// Writes what the format strings <c>yyyy-MM-ddTHH:mm:ss.FFFFFF</c> followed by <c>Z</c> (no offset) or <c>zzz</c>
    /// would, straight as UTF-8: the culture-aware formatter took a noticeable share of every envelope's cost.
    /// </summary>
    internal static int Format(Span<byte> destination, DateTime dateTime, TimeSpan? offset)
    {
        WriteDigits(destination[..4], dateTime.Year);
        destination[4] = (byte)'-';
        WriteDigits(destination.Slice(5, 2), dateTime.Month);
        destination[7] = (byte)'-';
        WriteDigits(destination.Slice(8, 2), dateTime.Day);
        destination[10] = (byte)'T';
        WriteDigits(destination.Slice(11, 2), dateTime.Hour);
        destination[13] = (byte)':';
        WriteDigits(destination.Slice(14, 2), dateTime.Minute);
        destination[16] = (byte)':';
        WriteDigits(destination.Slice(17, 2), dateTime.Second);
        int length = 19;

        // FFFFFF: microseconds, truncated, trailing zeros dropped, no point when all are zero.
        int microseconds = (int)(dateTime.Ticks % TimeSpan.TicksPerSecond / 10);
        if (microseconds != 0)
        {
            int digits = 6;
            while (microseconds % 10 == 0)
            {
                microseconds /= 10;
                digits--;
            }

            destination[length++] = (byte)'.';
            WriteDigits(destination.Slice(length, digits), microseconds);
            length += digits;
        }

        if (offset is not { } zone)
        {
            destination[length++] = (byte)'Z';
            return length;
        }

        int minutes = (int)zone.TotalMinutes;
        destination[length++] = minutes < 0 ? (byte)'-' : (byte)'+';
        minutes = Math.Abs(minutes);
        WriteDigits(destination.Slice(length, 2), minutes / 60);
        destination[length + 2] = (byte)':';
        WriteDigits(destination.Slice(length + 3, 2), minutes % 60);
        return length + 5;
    }

    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
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
