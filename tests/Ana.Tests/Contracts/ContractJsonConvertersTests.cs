using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Infrastructure;

namespace Ana.Tests.Contracts;

/// <summary>
/// The converters of generated contexts: they write what System.Text.Json writes, and read the forms a Python (pydantic)
/// peer writes. The pydantic vectors were written by pydantic 2.13.4 (<c>model_dump_json()</c>, with
/// <c>ser_json_timedelta='float'</c> and <c>ser_json_temporal='seconds'</c> where noted) and Python 3.11's <c>str()</c>.
/// </summary>
public sealed class ContractJsonConvertersTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        // pydantic's default (ISO-8601).
        { "\"PT5M\"", TimeSpan.FromMinutes(5) },
        { "\"P1DT2H\"", new TimeSpan(1, 2, 0, 0) },
        { "\"-PT1.5S\"", TimeSpan.FromSeconds(-1.5) },
        { "\"PT0S\"", TimeSpan.Zero },
        { "\"PT0.000001S\"", TimeSpan.FromTicks(10) },
        { "\"-P1D\"", TimeSpan.FromDays(-1) },
        { "\"P21DT0.25S\"", TimeSpan.FromDays(21) + TimeSpan.FromSeconds(0.25) },
        { "\"P27Y145D\"", TimeSpan.FromDays(10_000) },
        { "\"-P1DT2H3M\"", -new TimeSpan(1, 2, 3, 0) },
        { "\"P1DT1H59M58.5S\"", new TimeSpan(1, 1, 59, 58, 500) },
        { "\"P3W\"", TimeSpan.FromDays(21) },
        { "\"P1M\"", TimeSpan.FromDays(30) },
        { "\"pt5m\"", TimeSpan.FromMinutes(5) },
        { "\"PT0,5S\"", TimeSpan.FromSeconds(0.5) },

        // ser_json_timedelta='float' (and 'seconds' temporal mode): seconds.
        { "300.0", TimeSpan.FromMinutes(5) },
        { "-1.5", TimeSpan.FromSeconds(-1.5) },
        { "1e-6", TimeSpan.FromTicks(10) },
        { "864000000.0", TimeSpan.FromDays(10_000) },
        { "90", TimeSpan.FromSeconds(90) },

        // Python's str(timedelta).
        { "\"1 day, 2:00:00\"", new TimeSpan(1, 2, 0, 0) },
        { "\"2 days, 0:00:05\"", new TimeSpan(2, 0, 0, 5) },
        { "\"-1 day, 23:59:58.500000\"", TimeSpan.FromSeconds(-1.5) },
        { "\"0:00:05\"", TimeSpan.FromSeconds(5) },

        // What Ana writes (System.Text.Json's "c").
        { "\"00:05:00\"", TimeSpan.FromMinutes(5) },
        { "\"1.02:03:04.5000000\"", new TimeSpan(1, 2, 3, 4, 500) },
        { "\"-10675199.02:48:05.4775808\"", TimeSpan.MinValue },
        { "\"10675199.02:48:05.4775807\"", TimeSpan.MaxValue },
        { "\"00:05\\u003a00\"", TimeSpan.FromMinutes(5) },
    };

    public static TheoryData<string> BadDurations =>
    [
        "\"PT5X\"", "\"P\"", "\"PT\"", "\"P1DT\"", "\"PT1S2M\"", "\"P1H\"", "\"PT1D\"", "\"5 minutes\"", "\"\"", "\"-\"", "\"1 day\"",
        "\"P99999999999999999999Y\"", "\"P30000000D\"", "1e300", "true", "null", "[]", "{}", "\"" + new string('1', 200) + "\"",
        "\"25:00:00\"", "\"1 day, 25:00:00\"",
    ];

    public static TheoryData<string, string> Decimals => new()
    {
        // pydantic writes decimals as strings; str(Decimal) too.
        { "\"12.50\"", "12.50" },
        { "\"1E+3\"", "1000" },
        { "\"-0.001\"", "-0.001" },
        { "\"1E-7\"", "0.0000001" },
        { "\"0\"", "0" },
        { "\"79228162514264337593543950335\"", "79228162514264337593543950335" },
        { "12.50", "12.50" },
        { "1e3", "1000" },
    };

    public static TheoryData<string> BadDecimals =>
    [
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"12,50\"", "\" 12\"", "\"12 \"", "\"\"", "\"1e\"", "\"0x10\"", "\"79228162514264337593543950336\"",
        "true", "[]", "1e300",
    ];

    public static TheoryData<string, string, DateTimeKind> DateTimes => new()
    {
        // datetime.isoformat() / pydantic, naive and aware.
        { "\"2026-12-02T10:00:00\"", "2026-12-02T10:00:00.0000000", DateTimeKind.Unspecified },
        { "\"2026-12-02T10:00:00.120000\"", "2026-12-02T10:00:00.1200000", DateTimeKind.Unspecified },
        { "\"2026-12-02T10:00:00Z\"", "2026-12-02T10:00:00.0000000Z", DateTimeKind.Utc },
        { "\"2026-12-02T10:00:00+00:00\"", "2026-12-02T10:00:00.0000000", DateTimeKind.Local },
        { "\"2026-12-02\"", "2026-12-02T00:00:00.0000000", DateTimeKind.Unspecified },

        // str(datetime): a space between date and time.
        { "\"2026-12-02 10:00:00\"", "2026-12-02T10:00:00.0000000", DateTimeKind.Unspecified },
        { "\"2026-12-02 10:00:00.123456\"", "2026-12-02T10:00:00.1234560", DateTimeKind.Unspecified },
        { "\"2026-12-02 10:00:00Z\"", "2026-12-02T10:00:00.0000000Z", DateTimeKind.Utc },

        // ser_json_temporal='seconds' (and 'milliseconds': above 2·10¹⁰, as pydantic reads them).
        { "1796205600.5", "2026-12-02T10:00:00.5000000Z", DateTimeKind.Utc },
        { "1796205600500.0", "2026-12-02T10:00:00.5000000Z", DateTimeKind.Utc },
        { "0", "1970-01-01T00:00:00.0000000Z", DateTimeKind.Utc },
    };

    public static TheoryData<string, string> DateTimeOffsets => new()
    {
        { "\"2026-12-02T10:00:00.123456+05:30\"", "2026-12-02T10:00:00.1234560+05:30" },
        { "\"2026-12-02T10:00:00-03:00\"", "2026-12-02T10:00:00.0000000-03:00" },
        { "\"2026-12-02T10:00:00Z\"", "2026-12-02T10:00:00.0000000+00:00" },
        { "\"2026-12-02T10:00:00+00:00\"", "2026-12-02T10:00:00.0000000+00:00" },

        // Without an offset: UTC, as the envelope's ts, never this machine's zone.
        { "\"2026-12-02T10:00:00\"", "2026-12-02T10:00:00.0000000+00:00" },
        { "\"2026-12-02T10:00:00.120000\"", "2026-12-02T10:00:00.1200000+00:00" },
        { "\"2026-12-02 10:00:00+01:00\"", "2026-12-02T10:00:00.0000000+01:00" },
        { "\"2026-12-02 10:00:00\"", "2026-12-02T10:00:00.0000000+00:00" },
        { "1796205600.5", "2026-12-02T10:00:00.5000000+00:00" },
    };

    public static TheoryData<string> BadDateTimes =>
    [
        "\"2026-13-02T10:00:00\"", "\"2026-12-02X10:00:00\"", "\"02/12/2026\"", "\"2026-12-02  10:00:00\"", "\"tomorrow\"", "\"\"", "true",
        "1e300", "[]", "\"" + new string('2', 300) + "\"",
    ];

    public static TheoryData<string, string> Dates => new()
    {
        { "\"2026-12-02\"", "2026-12-02" },
        { "\"2024-02-29\"", "2024-02-29" },
        { "1796169600.0", "2026-12-02" },
    };

    public static TheoryData<string> BadDates => ["\"2026-02-29\"", "\"2026-12-2\"", "\"2026-12-02T00:00:00\"", "\"20261202\"", "\"0000-01-01\"", "true", "\"\""];

    public static TheoryData<string, string> Times => new()
    {
        { "\"10:00:00\"", "10:00:00.0000000" },
        { "\"10:00:00.000500\"", "10:00:00.0005000" },
        { "\"10:00:00Z\"", "10:00:00.0000000" },
        { "\"10:00:00+00:00\"", "10:00:00.0000000" },
        { "\"10:00\"", "10:00:00.0000000" },
        { "\"23:59:59.9999999\"", "23:59:59.9999999" },
        { "36000.000005", "10:00:00.0000050" },
    };

    public static TheoryData<string> BadTimes => ["\"24:00:00\"", "\"10:00:00+05:30\"", "\"1.10:00:00\"", "\"-10:00:00\"", "\"10\"", "86400", "-1", "true", "\"\""];

    [Theory]
    [MemberData(nameof(Durations))]
    public void A_duration_is_read_in_every_form_a_Python_peer_writes(string json, TimeSpan expected)
    {
        Assert.Equal(expected, Read(json, ContractJsonConverters.TimeSpanConverter));
        Assert.Equal(expected, ReadNullable<TimeSpan>(json));
    }

    [Theory]
    [MemberData(nameof(BadDurations))]
    public void A_garbage_duration_is_a_JsonException(string json) => AssertRefused(json, ContractJsonConverters.TimeSpanConverter);

    [Theory]
    [MemberData(nameof(Decimals))]
    public void A_decimal_is_read_as_a_number_or_a_string(string json, string expected)
        => Assert.Equal(expected, Read(json, ContractJsonConverters.DecimalConverter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(BadDecimals))]
    public void A_garbage_decimal_is_a_JsonException(string json) => AssertRefused(json, ContractJsonConverters.DecimalConverter);

    [Theory]
    [MemberData(nameof(DateTimes))]
    public void A_DateTime_is_read_as_isoformat_str_or_a_Unix_timestamp(string json, string expected, DateTimeKind kind)
    {
        DateTime value = Read(json, ContractJsonConverters.DateTimeConverter);
        Assert.Equal(kind, value.Kind);
        string text = kind == DateTimeKind.Local ? value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffff") : value.ToString("O");
        Assert.Equal(expected, text);
    }

    [Theory]
    [MemberData(nameof(DateTimeOffsets))]
    public void A_DateTimeOffset_is_read_with_or_without_an_offset(string json, string expected)
        => Assert.Equal(expected, Read(json, ContractJsonConverters.DateTimeOffsetConverter).ToString("O"));

    [Theory]
    [MemberData(nameof(BadDateTimes))]
    public void A_garbage_timestamp_is_a_JsonException(string json)
    {
        AssertRefused(json, ContractJsonConverters.DateTimeConverter);
        AssertRefused(json, ContractJsonConverters.DateTimeOffsetConverter);
    }

    [Theory]
    [MemberData(nameof(Dates))]
    public void A_date_is_read_as_isoformat_or_a_Unix_timestamp(string json, string expected)
        => Assert.Equal(expected, Read(json, ContractJsonConverters.DateOnlyConverter).ToString("O"));

    [Theory]
    [MemberData(nameof(BadDates))]
    public void A_garbage_date_is_a_JsonException(string json) => AssertRefused(json, ContractJsonConverters.DateOnlyConverter);

    [Theory]
    [MemberData(nameof(Times))]
    public void A_time_is_read_as_isoformat_or_seconds_since_midnight(string json, string expected)
        => Assert.Equal(expected, Read(json, ContractJsonConverters.TimeOnlyConverter).ToString("O"));

    [Theory]
    [MemberData(nameof(BadTimes))]
    public void A_garbage_time_is_a_JsonException(string json) => AssertRefused(json, ContractJsonConverters.TimeOnlyConverter);

    [Fact]
    public void Writing_is_byte_identical_to_System_Text_Json()
    {
        foreach (TimeSpan value in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(-1.5), new TimeSpan(1, 2, 3, 4, 567), TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.FromTicks(1) })
        {
            AssertSameBytes(value, ContractJsonConverters.TimeSpanConverter, JsonMetadataServices.TimeSpanConverter);
        }

        foreach (decimal value in new[] { 0m, 12.50m, -0.001m, decimal.MaxValue, decimal.MinValue, 1.0000000000000000000000000001m })
        {
            AssertSameBytes(value, ContractJsonConverters.DecimalConverter, JsonMetadataServices.DecimalConverter);
        }

        foreach (DateTime value in new[] { DateTime.MinValue, DateTime.MaxValue, new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 2, 10, 0, 0, 120, DateTimeKind.Unspecified), new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Local) })
        {
            AssertSameBytes(value, ContractJsonConverters.DateTimeConverter, JsonMetadataServices.DateTimeConverter);
        }

        foreach (DateTimeOffset value in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(5.5)), new DateTimeOffset(2026, 12, 2, 10, 0, 0, 1, TimeSpan.Zero) })
        {
            AssertSameBytes(value, ContractJsonConverters.DateTimeOffsetConverter, JsonMetadataServices.DateTimeOffsetConverter);
        }

        foreach (DateOnly value in new[] { DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2026, 12, 2) })
        {
            AssertSameBytes(value, ContractJsonConverters.DateOnlyConverter, JsonMetadataServices.DateOnlyConverter);
        }

        foreach (TimeOnly value in new[] { TimeOnly.MinValue, TimeOnly.MaxValue, new TimeOnly(9, 30, 0, 0, 500) })
        {
            AssertSameBytes(value, ContractJsonConverters.TimeOnlyConverter, JsonMetadataServices.TimeOnlyConverter);
        }
    }

    [Fact]
    public void What_Ana_writes_is_read_back()
    {
        foreach (TimeSpan value in new[] { TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.FromSeconds(-1.5), new TimeSpan(1, 2, 3, 4, 567) })
        {
            Assert.Equal(value, Read(Write(value, ContractJsonConverters.TimeSpanConverter), ContractJsonConverters.TimeSpanConverter));
        }

        foreach (DateTimeOffset value in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-3)) })
        {
            DateTimeOffset back = Read(Write(value, ContractJsonConverters.DateTimeOffsetConverter), ContractJsonConverters.DateTimeOffsetConverter);
            Assert.Equal((value, value.Offset), (back, back.Offset));
        }
    }

    [Fact]
    public void Reading_allocates_nothing()
    {
        byte[][] durations = [.. new[] { "\"P1DT1H59M58.5S\"", "300.0", "\"1 day, 2:00:00\"", "\"00:05:00\"" }.Select(Encoding.UTF8.GetBytes)];
        byte[] amount = Encoding.UTF8.GetBytes("\"12.50\"");
        byte[] timestamp = Encoding.UTF8.GetBytes("\"2026-12-02 10:00:00\"");
        byte[] time = Encoding.UTF8.GetBytes("\"10:00:00Z\"");
        JsonSerializerOptions options = JsonSerializerOptions.Default;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (byte[] input in durations)
            {
                Utf8JsonReader reader = new(input);
                reader.Read();
                ContractJsonConverters.TimeSpanConverter.Read(ref reader, typeof(TimeSpan), options);
            }

            Utf8JsonReader amountReader = new(amount);
            amountReader.Read();
            ContractJsonConverters.DecimalConverter.Read(ref amountReader, typeof(decimal), options);
            Utf8JsonReader timestampReader = new(timestamp);
            timestampReader.Read();
            ContractJsonConverters.DateTimeOffsetConverter.Read(ref timestampReader, typeof(DateTimeOffset), options);
            Utf8JsonReader timeReader = new(time);
            timeReader.Read();
            ContractJsonConverters.TimeOnlyConverter.Read(ref timeReader, typeof(TimeOnly), options);

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    private static T Read<T>(string json, JsonConverter<T> converter)
        => Read(Encoding.UTF8.GetBytes(json), converter);

    private static T Read<T>(byte[] json, JsonConverter<T> converter)
    {
        JsonSerializerOptions options = new() { Converters = { converter } };
        return JsonSerializer.Deserialize<T>(json, options)!;
    }

    private static T? ReadNullable<T>(string json)
        where T : struct
    {
        JsonSerializerOptions options = new() { Converters = { ContractJsonConverters.TimeSpanConverter } };
        return JsonSerializer.Deserialize<T?>(json, options);
    }

    private static byte[] Write<T>(T value, JsonConverter<T> converter)
    {
        JsonSerializerOptions options = new() { Converters = { converter } };
        return JsonSerializer.SerializeToUtf8Bytes(value, options);
    }

    private static void AssertSameBytes<T>(T value, JsonConverter<T> ours, JsonConverter<T> builtIn)
        => Assert.Equal(Encoding.UTF8.GetString(Write(value, builtIn)), Encoding.UTF8.GetString(Write(value, ours)));

    private static void AssertRefused<T>(string json, JsonConverter<T> converter)
    {
        JsonException error = Assert.Throws<JsonException>(() => Read(json, converter));
        Assert.Contains("$", error.Message, StringComparison.Ordinal);
    }
}
