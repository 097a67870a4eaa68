using System.Buffers.Text;
using System.Text.Json;

namespace Ana;

/// <summary>
/// Parsing for the tolerant contract converters (<see cref="Contracts.Infrastructure.ContractJsonConverters"/>): the forms a
/// Python peer writes for durations, decimals, dates and times, read from UTF-8 without allocating.
/// </summary>
internal static class TolerantText
{
    /// <summary>The longest string value that is tried; longer ones are not a value of these types.</summary>
    public const int MaxLength = 64;

    /// <summary>Seconds beyond which pydantic takes a Unix timestamp as milliseconds (its own rule when it reads one).</summary>
    private const decimal MillisecondsThreshold = 20_000_000_000m;

    private const long TicksPerDay = TimeSpan.TicksPerDay;

    /// <summary>
    /// The unescaped UTF-8 of the current string token, in <paramref name="scratch"/> when it had to be copied;
    /// false when it is longer than <paramref name="scratch"/>.
    /// </summary>
    public static bool TryGetString(in Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> text)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return text.Length <= scratch.Length;
        }

        // The escaped length bounds the unescaped one, so CopyString cannot run out of room.
        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > scratch.Length)
        {
            text = default;
            return false;
        }

        text = scratch[..reader.CopyString(scratch)];
        return true;
    }

    /// <summary>A decimal written as a JSON string, as Python's <c>str(Decimal)</c> writes it (<c>12.50</c>, <c>1E+3</c>, <c>-0.001</c>).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
        => Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length && text.Length > 0
            && IsDigit(text[^1]) && (IsDigit(text[0]) || text[0] == (byte)'-');

    /// <summary>
    /// A duration: the <c>c</c> format Ana writes (<c>[-][d.]hh:mm:ss[.fffffff]</c>), an ISO-8601 duration as pydantic
    /// writes it (<c>PT5M</c>, <c>P1DT2H</c>, <c>-PT1.5S</c>, <c>P27Y145D</c>), or Python's <c>str(timedelta)</c>
    /// (<c>1 day, 2:00:00</c>, <c>-1 day, 23:59:58.500000</c>).
    /// </summary>
    public static bool TryParseTimeSpan(ReadOnlySpan<byte> text, out TimeSpan value)
    {
        if (TryParseConstant(text, out value))
        {
            return true;
        }

        int start = text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+') ? 1 : 0;
        if (start < text.Length && (text[start] == (byte)'P' || text[start] == (byte)'p'))
        {
            return TryParseIsoDuration(text, out value);
        }

        return TryParsePythonTimedelta(text, out value);
    }

    /// <summary>A number of seconds (pydantic's <c>ser_json_timedelta='float'</c>) as a duration.</summary>
    public static bool TryReadSeconds(ref Utf8JsonReader reader, out TimeSpan value)
    {
        value = default;
        if (!reader.TryGetDecimal(out decimal seconds) || Math.Abs(seconds) > (decimal)TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerSecond)
        {
            return false;
        }

        decimal ticks = decimal.Round(seconds * TimeSpan.TicksPerSecond);
        if (ticks < TimeSpan.MinValue.Ticks || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = new TimeSpan((long)ticks);
        return true;
    }

    /// <summary>
    /// A Unix timestamp (pydantic's <c>ser_json_temporal='seconds'</c>, or milliseconds above 2·10¹⁰ as pydantic reads
    /// them) as ticks of UTC time.
    /// </summary>
    public static bool TryReadUnixTime(ref Utf8JsonReader reader, out DateTime value)
    {
        value = default;
        if (!reader.TryGetDecimal(out decimal seconds))
        {
            return false;
        }

        if (Math.Abs(seconds) > MillisecondsThreshold)
        {
            seconds /= 1000m;
        }

        decimal maxSeconds = (decimal)DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond;
        if (Math.Abs(seconds) > maxSeconds)
        {
            return false;
        }

        decimal ticks = DateTime.UnixEpoch.Ticks + decimal.Round(seconds * TimeSpan.TicksPerSecond);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTime((long)ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>A time of day: <c>hh:mm[:ss[.fffffff]]</c>, with an optional UTC designator (<c>Z</c>, <c>+00:00</c>) as pydantic writes an aware time.</summary>
    public static bool TryParseTimeOfDay(ReadOnlySpan<byte> text, out TimeOnly value)
    {
        value = default;
        if (text.Length > 0 && (text[^1] == (byte)'Z' || text[^1] == (byte)'z'))
        {
            text = text[..^1];
        }
        else if (text.Length > 6 && (text[^6] == (byte)'+' || text[^6] == (byte)'-') && text[^5..].SequenceEqual("00:00"u8))
        {
            text = text[..^6];
        }

        // No day part and no sign: the hours come first ("hh:" or "h:").
        int colon = text.IndexOf((byte)':');
        if (colon is < 1 or > 2 || !IsDigit(text[0]) || !TryParseConstant(text, out TimeSpan time) || time.Ticks >= TicksPerDay)
        {
            return false;
        }

        value = new TimeOnly(time.Ticks);
        return true;
    }

    /// <summary>A date as <c>yyyy-MM-dd</c> (what both Ana and Python's <c>date.isoformat()</c> write).</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly value)
    {
        value = default;
        if (text.Length != 10 || text[4] != (byte)'-' || text[7] != (byte)'-'
            || !TryDigits(text[..4], out int year) || !TryDigits(text.Slice(5, 2), out int month) || !TryDigits(text.Slice(8, 2), out int day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// Whether an ISO-8601 timestamp carries a UTC designator or an offset (<c>Z</c>, <c>±hh:mm</c>, <c>±hhmm</c> after
    /// the time of day).
    /// </summary>
    public static bool HasOffset(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && (text[^1] == (byte)'Z' || text[^1] == (byte)'z'))
        {
            return true;
        }

        int timeStart = text.IndexOfAny((byte)'T', (byte)'t', (byte)' ');
        return timeStart >= 0 && text[timeStart..].IndexOfAny((byte)'+', (byte)'-') >= 0;
    }

    /// <summary>
    /// A timestamp whose date and time are separated by a space (Python's <c>str(datetime)</c>), rewritten with a
    /// <c>T</c> into <paramref name="scratch"/> as a quoted JSON string, so that System.Text.Json's own ISO-8601 reading applies.
    /// </summary>
    public static bool TryQuoteWithT(ReadOnlySpan<byte> text, Span<byte> scratch, out int length)
    {
        length = 0;
        if (text.Length < 11 || text.Length + 2 > scratch.Length || text[10] != (byte)' ')
        {
            return false;
        }

        scratch[0] = (byte)'"';
        text.CopyTo(scratch[1..]);
        scratch[11] = (byte)'T';
        scratch[text.Length + 1] = (byte)'"';
        length = text.Length + 2;
        return true;
    }

    private static bool TryParseConstant(ReadOnlySpan<byte> text, out TimeSpan value)
    {
        value = default;
        return text.Length > 0 && IsDigit(text[^1]) && (IsDigit(text[0]) || text[0] == (byte)'-')
            && Utf8Parser.TryParse(text, out value, out int consumed, 'c') && consumed == text.Length;
    }

    /// <summary>
    /// <c>[±]P[nY][nM][nW][nD][T[nH][nM][nS]]</c>, each <c>n</c> with an optional fraction (<c>.</c> or <c>,</c>); a year is
    /// 365 days and a month 30 days, as pydantic counts them.
    /// </summary>
    private static bool TryParseIsoDuration(ReadOnlySpan<byte> text, out TimeSpan value)
    {
        value = default;
        int i = 0;
        bool negative = false;
        if (text[0] == (byte)'-' || text[0] == (byte)'+')
        {
            negative = text[0] == (byte)'-';
            i++;
        }

        i++; // 'P'
        decimal total = 0;
        bool inTime = false;
        bool any = false;
        bool anyInTime = false;
        int rank = 0; // designators must come in order: Y M W D, then H M S.
        while (i < text.Length)
        {
            byte c = text[i];
            if (c is (byte)'T' or (byte)'t')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            if (!TryReadNumber(text, ref i, out decimal number) || i >= text.Length)
            {
                return false;
            }

            (int order, long unit) = (char)(text[i] | 0x20) switch
            {
                'y' when !inTime => (1, 365 * TicksPerDay),
                'm' when !inTime => (2, 30 * TicksPerDay),
                'w' when !inTime => (3, 7 * TicksPerDay),
                'd' when !inTime => (4, TicksPerDay),
                'h' when inTime => (5, TimeSpan.TicksPerHour),
                'm' when inTime => (6, TimeSpan.TicksPerMinute),
                's' when inTime => (7, TimeSpan.TicksPerSecond),
                _ => (0, 0L),
            };
            if (order <= rank)
            {
                return false;
            }

            rank = order;
            i++;
            if (number > (decimal)TimeSpan.MaxValue.Ticks / unit)
            {
                return false;
            }

            total += number * unit;
            any = true;
            anyInTime |= inTime;
            if (total > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        if (!any || (inTime && !anyInTime))
        {
            return false;
        }

        long ticks = (long)decimal.Round(total);
        value = new TimeSpan(negative ? -ticks : ticks);
        return true;
    }

    /// <summary><c>[-]D day[s], H:MM:SS[.ffffff]</c>: the days may be negative, the time of day never is.</summary>
    private static bool TryParsePythonTimedelta(ReadOnlySpan<byte> text, out TimeSpan value)
    {
        value = default;
        int i = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        int digitsStart = i;
        long days = 0;
        while (i < text.Length && IsDigit(text[i]) && i - digitsStart < 9)
        {
            days = (days * 10) + (text[i] - '0');
            i++;
        }

        if (i == digitsStart)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = text[i..];
        if (rest.StartsWith(" days, "u8))
        {
            rest = rest[7..];
        }
        else if (rest.StartsWith(" day, "u8))
        {
            rest = rest[6..];
        }
        else
        {
            return false;
        }

        if (!TryParseTimeOfDay(rest, out TimeOnly time) || rest[^1] is (byte)'Z' or (byte)'z')
        {
            return false;
        }

        decimal ticks = ((negative ? -days : days) * (decimal)TicksPerDay) + time.Ticks;
        if (ticks < TimeSpan.MinValue.Ticks || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = new TimeSpan((long)ticks);
        return true;
    }

    private static bool TryReadNumber(ReadOnlySpan<byte> text, ref int i, out decimal value)
    {
        value = 0;
        int start = i;
        while (i < text.Length && IsDigit(text[i]))
        {
            if (i - start >= 20)
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
            i++;
        }

        bool hasInteger = i > start;
        if (i < text.Length && (text[i] == (byte)'.' || text[i] == (byte)','))
        {
            i++;
            int fractionStart = i;
            decimal scale = 1m;
            while (i < text.Length && IsDigit(text[i]))
            {
                // Digits beyond the 20th are below a tick of any unit: ignored.
                if (i - fractionStart < 20)
                {
                    scale /= 10m;
                    value += (text[i] - '0') * scale;
                }

                i++;
            }

            return i > fractionStart;
        }

        return hasInteger;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
