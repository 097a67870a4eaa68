using System.Globalization;
using System.Runtime.InteropServices;
using Ana.Benchmarks.Reporting;

namespace Ana.Benchmarks.Peers;

/// <summary>
/// <c>./build.sh bench peers</c>: measures, adds the table to the run's report, writes it to artifacts/bench/peers.md and
/// draws the throughput charts (into docs/images for a full run; a smoke run's go to artifacts/bench, never over the docs').
/// </summary>
internal static class PeersRun
{
    public static async Task RunAsync(BenchmarkSettings settings, Report report, CancellationToken cancellationToken)
    {
        PeerResults results = await new PeersBenchmark(settings).RunAsync(cancellationToken);
        string markdown = PeersReport.ToMarkdown(results);
        report.AddSection(markdown);

        string artifacts = Path.Combine(RepositoryRoot.Path, "artifacts", "bench");
        Directory.CreateDirectory(artifacts);
        string caption = string.Create(CultureInfo.InvariantCulture,
            $"run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{(settings.Smoke ? ", smoke" : "")}");
        string tablePath = Path.Combine(artifacts, "peers.md");
        await File.WriteAllTextAsync(tablePath, $"Peers, {caption}, {RuntimeInformation.FrameworkDescription}\n\n{markdown}", cancellationToken);
        Console.WriteLine($"  table: {tablePath}");

        string charts = settings.Smoke ? artifacts : Path.Combine(RepositoryRoot.Path, "docs", "images");
        foreach (PeerHandler handler in Enum.GetValues<PeerHandler>())
        {
            Console.WriteLine($"  chart: {ThroughputChart.Write(results, handler, charts, caption)}");
        }
    }
}
