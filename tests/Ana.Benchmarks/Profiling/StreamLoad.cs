using System.Diagnostics;
using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Streams;

namespace Ana.Benchmarks.Profiling;

/// <summary>
/// 16 concurrent streams at the default window of 16, again and again for a while, with the server and the caller in
/// this process (as in the streams benchmark), so that a profiler can attach; prints the items per second and the
/// process's CPU time and allocated bytes per item.
/// </summary>
internal static class StreamLoad
{
    private const int Streams = 16;
    private const int Window = 16;
    private const int ItemsPerRound = 64_000;

    public static async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await using StreamRig rig = await StreamRig.StartAsync(cancellationToken);
        IStreamBench client = rig.Client;

        Console.WriteLine($"PID {Environment.ProcessId}: {Streams} concurrent streams at window {Window} for {duration.TotalSeconds:0} s");
        await StreamBenchmark.AnaRateAsync(client, Streams, ItemsPerRound, Window); // past tiered compilation
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        long items = 0;
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            await StreamBenchmark.AnaRateAsync(client, Streams, ItemsPerRound, Window);
            items += ItemsPerRound;
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)items;
        Console.WriteLine($"{items / seconds:N0} items/s; per item (server and caller): CPU {(self.TotalProcessorTime - cpuBefore).TotalMicroseconds / items:0.00} µs, {allocated:N0} bytes allocated");
    }
}
