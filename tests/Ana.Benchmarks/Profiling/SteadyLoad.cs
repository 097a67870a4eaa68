using System.Diagnostics;
using Ana.Benchmarks.Wire;

namespace Ana.Benchmarks.Profiling;

/// <summary>
/// 64 concurrent callers of one path for a while, so that a profiler (dotnet-trace, perf) can attach to either process;
/// prints the rate and the CPU time each process spent per call, which tells on which side a path's cost lies.
/// </summary>
internal static class SteadyLoad
{
    public static async Task RunAsync(bool typed, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using WireSetup setup = await WireSetup.StartAsync(profileResponder: false, cancellationToken);
        IEchoCaller caller = typed ? setup.Typed : setup.Raw;
        Console.WriteLine($"caller PID {Environment.ProcessId}, responder PID {setup.ResponderProcessId}: 64 concurrent {(typed ? "typed" : "raw")} callers for {duration.TotalSeconds:0} s");
        await LoadRunner.ThroughputAsync(caller, 64, TimeSpan.FromSeconds(3), cancellationToken); // past tiered compilation
        using Process self = Process.GetCurrentProcess();
        using Process responder = Process.GetProcessById(setup.ResponderProcessId);
        TimeSpan callerBefore = self.TotalProcessorTime, responderBefore = responder.TotalProcessorTime;
        int gen0Before = GC.CollectionCount(0), gen1Before = GC.CollectionCount(1), gen2Before = GC.CollectionCount(2);
        TimeSpan pausedBefore = GC.GetTotalPauseDuration();
        long start = Stopwatch.GetTimestamp();
        double rate = await LoadRunner.ThroughputAsync(caller, 64, duration, cancellationToken);
        double calls = rate * Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        responder.Refresh();
        Console.WriteLine(
            $"{rate:N0} calls/s; CPU per call: caller {(self.TotalProcessorTime - callerBefore).TotalMicroseconds / calls:0.0} µs, " +
            $"responder {(responder.TotalProcessorTime - responderBefore).TotalMicroseconds / calls:0.0} µs; caller GCs: " +
            $"{GC.CollectionCount(0) - gen0Before} gen0, {GC.CollectionCount(1) - gen1Before} gen1, {GC.CollectionCount(2) - gen2Before} gen2, " +
            $"paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:0} ms");
    }
}
