using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The converters that generated JSON contexts use for durations, decimals, dates and times. Each writes exactly what
/// System.Text.Json writes (what deployed Ana peers read) and reads, besides that, every form a Python (pydantic) peer
/// writes: ISO-8601 durations and numbers of seconds for <see cref="System.TimeSpan"/>, decimals as strings,
/// <c>isoformat()</c> timestamps with or without an offset, and Unix timestamps. See docs/protocol.md, "Type mapping".
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ContractJsonConverters
{
    /// <summary>
    /// Writes <c>"[-][d.]hh:mm:ss[.fffffff]"</c>; reads it, an ISO-8601 duration (<c>"PT5M"</c>, <c>"P1DT2H"</c>,
    /// <c>"-PT1.5S"</c>), Python's <c>str(timedelta)</c> (<c>"1 day, 2:00:00"</c>) or a number of seconds.
    /// </summary>
    public static JsonConverter<TimeSpan> TimeSpanConverter { get; } = new TolerantTimeSpanConverter();

    /// <summary>Writes a JSON number; reads a number or a string holding one (<c>"12.50"</c>, <c>"1E+3"</c>).</summary>
    public static JsonConverter<decimal> DecimalConverter { get; } = new TolerantDecimalConverter();

    /// <summary>
    /// Writes ISO-8601; reads ISO-8601 with or without an offset (<c>T</c> or a space between date and time, up to seven
    /// fractional digits), a bare date, or a Unix timestamp in seconds (in milliseconds above 2·10¹⁰, as pydantic reads them).
    /// </summary>
    public static JsonConverter<DateTime> DateTimeConverter { get; } = new TolerantDateTimeConverter();

    /// <summary>Reads what <see cref="DateTimeConverter"/> reads; a timestamp without an offset is taken as UTC.</summary>
    public static JsonConverter<DateTimeOffset> DateTimeOffsetConverter { get; } = new TolerantDateTimeOffsetConverter();

    /// <summary>Writes <c>"yyyy-MM-dd"</c>; reads it or a Unix timestamp (the date in UTC).</summary>
    public static JsonConverter<DateOnly> DateOnlyConverter { get; } = new TolerantDateOnlyConverter();

    /// <summary>Writes <c>"HH:mm:ss[.fffffff]"</c>; reads it with an optional <c>Z</c> or <c>+00:00</c>, or a number of seconds since midnight.</summary>
    public static JsonConverter<TimeOnly> TimeOnlyConverter { get; } = new TolerantTimeOnlyConverter();
}
