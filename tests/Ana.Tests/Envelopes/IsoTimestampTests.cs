using System.Globalization;
using System.Text;
using CsCheck;

namespace Ana.Tests.Envelopes;

public sealed class IsoTimestampTests
{
    private static readonly Gen<DateTime> Dates = Gen.Long[DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks].Select(ticks => new DateTime(ticks));

    // Whole minutes within ±14 h, as DateTimeOffset allows.
    private static readonly Gen<TimeSpan> Offsets = Gen.Int[-14 * 60, 14 * 60].Select(minutes => TimeSpan.FromMinutes(minutes));

    [Fact]
    public void The_UTC_format_matches_the_format_string()
        => Dates.Sample(date => Assert.Equal(
            date.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
            Format(date, offset: null)));

    [Fact]
    public void The_offset_format_matches_the_format_string()
        => Gen.Select(Dates, Offsets).Sample((date, offset) => Assert.Equal(
            new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Unspecified), offset).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFzzz", CultureInfo.InvariantCulture),
            Format(date, offset)));

    [Theory]
    [InlineData(0L, "0001-01-01T00:00:00Z")]
    [InlineData(638_513_337_001_234_560L, "2024-05-15T01:35:00.123456Z")]
    [InlineData(638_513_337_001_000_009L, "2024-05-15T01:35:00.1Z")]
    [InlineData(638_513_337_000_000_009L, "2024-05-15T01:35:00Z")]
    public void Fractions_are_truncated_to_microseconds_without_trailing_zeros(long ticks, string expected)
        => Assert.Equal(expected, Format(new DateTime(ticks), offset: null));

    private static string Format(DateTime date, TimeSpan? offset)
    {
        Span<byte> buffer = stackalloc byte[64];
        return Encoding.ASCII.GetString(buffer[..IsoTimestamp.Format(buffer, date, offset)]);
    }
}
