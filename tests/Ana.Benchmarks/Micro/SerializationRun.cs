using Ana.Benchmarks.Reporting;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Ana.Benchmarks.Micro;

/// <summary>Runs <see cref="SerializationBenchmarks"/> with BenchmarkDotNet and adds each pair to the report.</summary>
internal static class SerializationRun
{
    private const string Section = "5. Serialization alone (generated JSON context vs the System.Text.Json generator's)";

    public static void Run(BenchmarkSettings settings, Report report)
    {
        // In process: the benchmarks need no project of their own to be generated and built, which keeps the smoke run to seconds.
        Job job = (settings.Smoke ? Job.Dry : Job.Default.WithWarmupCount(5).WithIterationCount(15))
            .WithToolchain(InProcessEmitToolchain.Instance);
        IConfig config = DefaultConfig.Instance
            .AddJob(job)
            .WithArtifactsPath(Path.Combine("artifacts", "benchmarks"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
        if (settings.Smoke)
        {
            config = ManualConfig.Create(config).AddLogger(NullLogger.Instance);
        }

        Summary summary = BenchmarkRunner.Run<SerializationBenchmarks>(config);
        foreach (string category in new[]
                 {
                     SerializationBenchmarks.SerializeReading, SerializationBenchmarks.DeserializeReading,
                     SerializationBenchmarks.SerializeBatch, SerializationBenchmarks.DeserializeBatch,
                 })
        {
            BenchmarkReport generated = Find(summary, category, baseline: false);
            BenchmarkReport reference = Find(summary, category, baseline: true);
            report.Add(Section, $"{category}: time per operation", generated.ResultStatistics!.Mean, reference.ResultStatistics!.Mean, "ns", Target.Max(1.10));
            report.Add(Section, $"{category}: bytes per operation", BytesPerOperation(generated), BytesPerOperation(reference), "B", Target.Max(1.00));
        }
    }

    private static BenchmarkReport Find(Summary summary, string category, bool baseline)
        => summary.Reports.Single(report => report.BenchmarkCase.Descriptor.Categories.Contains(category) && report.BenchmarkCase.Descriptor.Baseline == baseline);

    private static double BytesPerOperation(BenchmarkReport report)
        => report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN;
}
