using System.Text.Json;
using System.Text.Json.Serialization;
using Ana.Contracts;

namespace Ana.Benchmarks.Contract;

/// <summary>The contract every over-the-wire benchmark calls: one topic that returns its argument.</summary>
[AnaAgent("bench")]
public partial interface IBench
{
    /// <summary>Topic <c>echo</c>: returns <paramref name="reading"/>.</summary>
    Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>echo_after_wait</c>: awaits 1 ms (I/O-bound work), then returns <paramref name="reading"/> (peers benchmark).</summary>
    Task<Reading> EchoAfterWaitAsync(Reading reading, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>summarize</c>: a larger payload with lists, a dictionary, an enum and nullables (serialization benchmark).</summary>
    Task<Summary> SummarizeAsync(Batch batch, CancellationToken cancellationToken = default);
}

/// <summary>The small payload of the benchmarks: a record with a few fields, about 64 bytes of JSON.</summary>
public sealed record Reading(int Id, string Sensor, double Value, DateTimeOffset At)
{
    /// <summary>The reading every call sends.</summary>
    public static Reading Sample { get; } = new(42, "temp-01", 21.5, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
}

/// <summary>How a batch of readings was taken.</summary>
public enum Quality
{
    /// <summary>Measured.</summary>
    Measured,

    /// <summary>Estimated from neighbours.</summary>
    Estimated,
}

/// <summary>A larger payload: about 1 KB of JSON with a list, a dictionary, an enum and nullable members.</summary>
public sealed record Batch(string Station, IReadOnlyList<Reading> Readings, Dictionary<string, double> Limits, Quality Quality, string? Note, int? Retries)
{
    /// <summary>The batch the serialization benchmark writes and reads.</summary>
    public static Batch Sample { get; } = new(
        "north-7",
        [.. Enumerable.Range(0, 10).Select(i => Reading.Sample with { Id = i, Value = 20 + (i / 4.0) })],
        new Dictionary<string, double> { ["min"] = -20, ["max"] = 45.5, ["alarm"] = 40 },
        Quality.Estimated,
        Note: null,
        Retries: 2);
}

/// <summary>The answer to a <see cref="Batch"/>.</summary>
public sealed record Summary(string Station, int Count, double Mean);

/// <summary>
/// The System.Text.Json generator's context for the same type, with the contract's naming policy and nulls written, as
/// generated contracts write them: the baseline of the raw NATS path and of the serialization benchmark.
/// </summary>
[JsonSerializable(typeof(Reading))]
[JsonSerializable(typeof(Batch))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(SnakeCaseQualityConverter)])]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;

/// <summary>Enums as snake_case strings, as the generated contexts write them.</summary>
internal sealed class SnakeCaseQualityConverter() : JsonStringEnumConverter<Quality>(JsonNamingPolicy.SnakeCaseLower);

/// <summary>The server side of <see cref="IBench"/>.</summary>
internal sealed class Bench : IBench
{
    /// <summary>How long the I/O-bound handlers of the peers benchmark wait before they answer.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(1);

    public Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);

    public async Task<Reading> EchoAfterWaitAsync(Reading reading, CancellationToken cancellationToken)
    {
        await Task.Delay(Wait, cancellationToken).ConfigureAwait(false);
        return reading;
    }

    public Task<Summary> SummarizeAsync(Batch batch, CancellationToken cancellationToken)
        => Task.FromResult(new Summary(batch.Station, batch.Readings.Count, batch.Readings.Average(reading => reading.Value)));
}
