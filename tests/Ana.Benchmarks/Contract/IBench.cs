using System.Text.Json.Serialization;
using Ana.Contracts;

namespace Ana.Benchmarks.Contract;

/// <summary>The contract every over-the-wire benchmark calls: one topic that returns its argument.</summary>
[AnaAgent("bench")]
public partial interface IBench
{
    /// <summary>Topic <c>echo</c>: returns <paramref name="reading"/>.</summary>
    Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken = default);
}

/// <summary>The small payload of the benchmarks: a record with a few fields, about 64 bytes of JSON.</summary>
public sealed record Reading(int Id, string Sensor, double Value, DateTimeOffset At)
{
    /// <summary>The reading every call sends.</summary>
    public static Reading Sample { get; } = new(42, "temp-01", 21.5, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
}

/// <summary>
/// The System.Text.Json generator's context for the same type, with the contract's naming policy: the baseline of the
/// raw NATS path and of the serialization benchmark.
/// </summary>
[JsonSerializable(typeof(Reading))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;

/// <summary>The server side of <see cref="IBench"/>.</summary>
internal sealed class Bench : IBench
{
    public Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);
}
