using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ana;

/// <summary>
/// <c>TimeSpan</c>: writes System.Text.Json's <c>c</c> form (<c>"00:05:00"</c>); reads it, ISO-8601 durations, Python's
/// <c>str(timedelta)</c> and numbers of seconds.
/// </summary>
internal sealed class TolerantTimeSpanConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return TolerantText.TryReadSeconds(ref reader, out TimeSpan seconds) ? seconds : throw new JsonException();
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        if (reader.TokenType == JsonTokenType.String
            && TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text)
            && TolerantText.TryParseTimeSpan(text, out TimeSpan value))
        {
            return value;
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
        => JsonMetadataServices.TimeSpanConverter.Write(writer, value, options);
}

/// <summary><c>decimal</c>: writes a JSON number, as System.Text.Json does; reads a number or a string holding one (pydantic's form).</summary>
internal sealed class TolerantDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDecimal(out decimal number) ? number : throw new JsonException();
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        if (reader.TokenType == JsonTokenType.String
            && TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text)
            && TolerantText.TryParseDecimal(text, out decimal value))
        {
            return value;
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        => JsonMetadataServices.DecimalConverter.Write(writer, value, options);
}

/// <summary>
/// <c>DateTime</c>: writes System.Text.Json's ISO-8601 form; reads every form System.Text.Json reads, a space instead of
/// the <c>T</c> (Python's <c>str(datetime)</c>) and Unix timestamps (pydantic's <c>ser_json_temporal='seconds'</c>).
/// </summary>
internal sealed class TolerantDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return TolerantText.TryReadUnixTime(ref reader, out DateTime unix) ? unix : throw new JsonException();
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        if (reader.TryGetDateTime(out DateTime value))
        {
            return value;
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        Span<byte> quoted = stackalloc byte[TolerantText.MaxLength + 2];
        if (TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text) && TolerantText.TryQuoteWithT(text, quoted, out int length))
        {
            Utf8JsonReader inner = new(quoted[..length]);
            if (inner.Read() && inner.TryGetDateTime(out value))
            {
                return value;
            }
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        => JsonMetadataServices.DateTimeConverter.Write(writer, value, options);
}

/// <summary>
/// <c>DateTimeOffset</c>: writes System.Text.Json's ISO-8601 form; reads what <see cref="TolerantDateTimeConverter"/>
/// reads. A timestamp without an offset is UTC (as the envelope's <c>ts</c>), never this machine's local time.
/// </summary>
internal sealed class TolerantDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return TolerantText.TryReadUnixTime(ref reader, out DateTime unix) ? new DateTimeOffset(unix) : throw new JsonException();
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        if (reader.TokenType != JsonTokenType.String || !TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text))
        {
            throw new JsonException();
        }

        if (!reader.TryGetDateTimeOffset(out DateTimeOffset value))
        {
            Span<byte> quoted = stackalloc byte[TolerantText.MaxLength + 2];
            if (!TolerantText.TryQuoteWithT(text, quoted, out int length))
            {
                throw new JsonException();
            }

            Utf8JsonReader inner = new(quoted[..length]);
            if (!inner.Read() || !inner.TryGetDateTimeOffset(out value))
            {
                throw new JsonException();
            }
        }

        return TolerantText.HasOffset(text) ? value : new DateTimeOffset(value.DateTime, TimeSpan.Zero);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => JsonMetadataServices.DateTimeOffsetConverter.Write(writer, value, options);
}

/// <summary><c>DateOnly</c>: writes <c>yyyy-MM-dd</c>; reads it and Unix timestamps (the date in UTC).</summary>
internal sealed class TolerantDateOnlyConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return TolerantText.TryReadUnixTime(ref reader, out DateTime unix) ? DateOnly.FromDateTime(unix) : throw new JsonException();
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        if (reader.TokenType == JsonTokenType.String
            && TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text)
            && TolerantText.TryParseDate(text, out DateOnly value))
        {
            return value;
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options)
        => JsonMetadataServices.DateOnlyConverter.Write(writer, value, options);
}

/// <summary><c>TimeOnly</c>: writes <c>HH:mm:ss[.fffffff]</c>; reads it with an optional UTC designator, and seconds since midnight.</summary>
internal sealed class TolerantTimeOnlyConverter : JsonConverter<TimeOnly>
{
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return TolerantText.TryReadSeconds(ref reader, out TimeSpan seconds) && seconds >= TimeSpan.Zero && seconds.Ticks < TimeSpan.TicksPerDay
                ? new TimeOnly(seconds.Ticks)
                : throw new JsonException();
        }

        Span<byte> scratch = stackalloc byte[TolerantText.MaxLength];
        if (reader.TokenType == JsonTokenType.String
            && TolerantText.TryGetString(in reader, scratch, out ReadOnlySpan<byte> text)
            && TolerantText.TryParseTimeOfDay(text, out TimeOnly value))
        {
            return value;
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
        => JsonMetadataServices.TimeOnlyConverter.Write(writer, value, options);
}
