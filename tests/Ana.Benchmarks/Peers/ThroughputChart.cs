using ScottPlot;
using ScottPlot.TickGenerators;

namespace Ana.Benchmarks.Peers;

/// <summary>Throughput against concurrency, one line per stack, one SVG per handler (ScottPlot).</summary>
internal static class ThroughputChart
{
    /// <summary>The chart's file name for <paramref name="handler"/>.</summary>
    public static string FileName(PeerHandler handler) => handler == PeerHandler.Immediate ? "peers-throughput.svg" : "peers-throughput-1ms.svg";

    /// <summary>Writes the chart of <paramref name="handler"/> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(PeerResults results, PeerHandler handler, string directory, string caption)
    {
        Plot plot = new();
        double[] positions = [.. Enumerable.Range(0, PeersBenchmark.Concurrencies.Count).Select(i => (double)i)];
        double highest = 0;
        foreach (PeerStack stack in PeerNames.Stacks)
        {
            double[] rates = [.. PeersBenchmark.Concurrencies.Select(callers => results[handler, stack].Rates[callers])];
            highest = Math.Max(highest, rates.Max());
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(positions, rates);
            line.LegendText = stack.Name();
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Axes.Bottom.SetTicks(positions, [.. PeersBenchmark.Concurrencies.Select(callers => callers.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = value => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) };
        plot.Axes.SetLimitsY(0, highest * 1.1);
        plot.Title($"Throughput, {handler.Name()}");
        plot.XLabel("concurrent callers");
        plot.YLabel("calls/s");
        plot.Axes.Bottom.Label.Text = $"concurrent callers — {caption}";
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName(handler));
        plot.SaveSvg(path, 800, 450);
        return path;
    }
}
