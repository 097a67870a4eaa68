using System.Diagnostics;

namespace Ana.Benchmarks.Reporting;

/// <summary>Nearest-rank percentiles of latencies measured in <see cref="Stopwatch"/> ticks.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="percentile"/>th percentile of <paramref name="sortedTicks"/>, in microseconds.</summary>
    public static double Microseconds(long[] sortedTicks, double percentile)
    {
        int rank = Math.Clamp((int)Math.Ceiling(percentile / 100 * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1);
        return sortedTicks[rank] * 1_000_000.0 / Stopwatch.Frequency;
    }

    /// <summary>The median of a few repeated measurements.</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
