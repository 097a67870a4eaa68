using System.Diagnostics;

namespace Ana.Benchmarks.Wire;

/// <summary>Drives an <see cref="IEchoCaller"/>: sequential calls timed one by one, or concurrent callers for a while.</summary>
internal static class LoadRunner
{
    /// <summary>Makes <paramref name="latencies"/>.Length calls one after another and stores each one's time in ticks.</summary>
    public static async Task SequentialAsync(IEchoCaller caller, long[] latencies, CancellationToken cancellationToken)
    {
        for (int i = 0; i < latencies.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await caller.CallAsync(cancellationToken).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Runs <paramref name="callers"/> concurrent loops of calls for <paramref name="duration"/>; returns calls per second.</summary>
    public static async Task<double> ThroughputAsync(IEchoCaller caller, int callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        StopFlag stop = new();
        Task<long>[] loops = new Task<long>[callers];
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < callers; i++)
        {
            loops[i] = LoopAsync(caller, stop, cancellationToken);
        }

        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        stop.Set();
        long[] counts = await Task.WhenAll(loops).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        return total / seconds;
    }

    private static async Task<long> LoopAsync(IEchoCaller caller, StopFlag stop, CancellationToken cancellationToken)
    {
        await Task.Yield();
        long calls = 0;
        while (!stop.IsSet)
        {
            await caller.CallAsync(cancellationToken).ConfigureAwait(false);
            calls++;
        }

        return calls;
    }

    private sealed class StopFlag
    {
        private volatile bool _set;

        public bool IsSet => _set;

        public void Set() => _set = true;
    }
}
