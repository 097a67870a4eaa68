using Ana.Benchmarks.Wire;

namespace Ana.Benchmarks.Profiling;

/// <summary>64 concurrent callers of one path for a while, so that a profiler (dotnet-trace, perf) can attach to either process.</summary>
internal static class SteadyLoad
{
    public static async Task RunAsync(bool typed, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using WireSetup setup = await WireSetup.StartAsync(profileResponder: false, cancellationToken);
        IEchoCaller caller = typed ? setup.Typed : setup.Raw;
        Console.WriteLine($"caller PID {Environment.ProcessId}, responder PID {setup.ResponderProcessId}: 64 concurrent {(typed ? "typed" : "raw")} callers for {duration.TotalSeconds:0} s");
        double rate = await LoadRunner.ThroughputAsync(caller, 64, duration, cancellationToken);
        Console.WriteLine($"{rate:N0} calls/s");
    }
}
