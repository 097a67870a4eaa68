namespace Ana.Benchmarks;

/// <summary>How long and how often to measure: the full run of docs/performance.md, or the seconds-long smoke run of CI.</summary>
internal sealed record BenchmarkSettings(
    bool Smoke,
    int Rounds,
    int WarmupCalls,
    int LatencyCalls,
    TimeSpan ThroughputDuration,
    int GeneratorRuns,
    TimeSpan SustainedDuration)
{
    public static BenchmarkSettings Full { get; } = new(false, Rounds: 3, WarmupCalls: 3_000, LatencyCalls: 5_000, TimeSpan.FromSeconds(2), GeneratorRuns: 10, SustainedDuration: TimeSpan.FromSeconds(60));

    public static BenchmarkSettings SmokeRun { get; } = new(true, Rounds: 1, WarmupCalls: 200, LatencyCalls: 200, TimeSpan.FromMilliseconds(200), GeneratorRuns: 1, SustainedDuration: TimeSpan.FromSeconds(2));
}
