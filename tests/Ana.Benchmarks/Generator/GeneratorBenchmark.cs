using System.Collections.Immutable;
using System.Diagnostics;
using Ana.Benchmarks.Reporting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Benchmarks.Generator;

/// <summary>
/// The generator's cost: a first run over 100 contracts of 10 methods, and a run after an edit that touches no contract,
/// against the System.Text.Json generator over the same DTOs (one context per contract). Each figure is the median of
/// several runs, each on a fresh compilation so that no run reuses another's binding.
/// </summary>
internal sealed class GeneratorBenchmark(BenchmarkSettings settings, Report report)
{
    private const string Section = "6. Generator cost: 100 contracts of 10 methods (contracts generator vs System.Text.Json generator over the same DTOs)";

    private static readonly string[] ContractsSteps = ["Contracts", "Diagnostics", "Models"];

    public void Run()
    {
        IIncrementalGenerator contracts = GeneratorInputs.LoadContractsGenerator();
        IIncrementalGenerator json = GeneratorInputs.LoadJsonGenerator();
        IReadOnlyList<SyntaxTree> contractSources = GeneratorInputs.ContractSources();
        IReadOnlyList<SyntaxTree> jsonSources = GeneratorInputs.JsonContextSources();

        CheckFirstRun(contracts, contractSources, expectedSources: GeneratorInputs.Contracts);
        CheckFirstRun(json, jsonSources, expectedSources: GeneratorInputs.Contracts);
        int notCached = UncachedOutputsAfterUnrelatedEdit(contracts, contractSources);
        Console.WriteLine($"  contracts generator after an unrelated edit: {notCached} step outputs of {string.Join(", ", ContractsSteps)} not cached or unchanged");
        if (notCached != 0)
        {
            throw new InvalidOperationException($"{notCached} outputs of the contracts generator's steps ran again after an edit that touches no contract.");
        }

        double edit = EditRunMilliseconds(contracts, contractSources);
        report.Add(Section, "first run", FirstRunMilliseconds(contracts, contractSources), FirstRunMilliseconds(json, jsonSources), "ms");
        report.Add(Section, "run after an unrelated edit, in a fresh process (every step cached; much of the generators' code not yet optimized by the JIT)", edit, EditRunMilliseconds(json, jsonSources), "ms");
        report.Add(Section, "run after an unrelated edit, vs a generator that only finds the [AnaAgent] interfaces", edit, EditRunMilliseconds(new FloorGenerator(), contractSources), "ms");

        // Where edits happen, in a compiler server or an IDE, a generator has run many times before: its code is optimized.
        // Both generators warm up, then their runs alternate, so that a change in the machine's load touches both alike.
        TimeSpan warmUp = settings.Smoke ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(5);
        (double steady, double steadyJson) = SteadyEditMilliseconds(contracts, contractSources, json, jsonSources, warmUp);
        report.Add(
            Section,
            $"run after an unrelated edit, steady state (after {warmUp.TotalSeconds:0.#} s of such runs, as in a compiler server or an IDE)",
            steady,
            steadyJson,
            "ms",
            Target.Max(1.00));
    }

    private (double Contracts, double Json) SteadyEditMilliseconds(
        IIncrementalGenerator contracts, IReadOnlyList<SyntaxTree> contractSources, IIncrementalGenerator json, IReadOnlyList<SyntaxTree> jsonSources, TimeSpan warmUp)
    {
        (GeneratorDriver Driver, CSharpCompilation Compilation)[] rigs = [Warm(contracts, contractSources), Warm(json, jsonSources)];
        List<double>[] times = [[], []];
        for (int run = 0; run < 3 * settings.GeneratorRuns; run++)
        {
            for (int rig = 0; rig < rigs.Length; rig++)
            {
                CSharpCompilation edited = rigs[rig].Compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit(run));
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long start = Stopwatch.GetTimestamp();
                rigs[rig].Driver.RunGenerators(edited);
                times[rig].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return (Percentiles.Median(times[0]), Percentiles.Median(times[1]));

        (GeneratorDriver, CSharpCompilation) Warm(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources)
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = AfterFirstRun(generator, sources);
            RunEditsFor(driver, compilation, warmUp, firstEdit: 1_000_000);
            return (driver, compilation);
        }
    }

    /// <summary>A generator's driver after its first run over <paramref name="sources"/>, and their compilation.</summary>
    private static (GeneratorDriver Driver, CSharpCompilation Compilation) AfterFirstRun(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources)
    {
        CSharpCompilation compilation = GeneratorInputs.Compilation(sources);
        return (Driver(generator, track: false).RunGenerators(compilation), compilation);
    }

    /// <summary>Runs the generator after one unrelated edit after another for <paramref name="duration"/>; returns how many runs.</summary>
    private static int RunEditsFor(GeneratorDriver driver, CSharpCompilation compilation, TimeSpan duration, int firstEdit)
    {
        Stopwatch watch = Stopwatch.StartNew();
        int runs = 0;
        while (watch.Elapsed < duration)
        {
            driver.RunGenerators(compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit(firstEdit + runs++)));
        }

        return runs;
    }

    /// <summary>
    /// Runs a generator after one unrelated edit after another for <paramref name="duration"/>, for a profiler
    /// (<c>profile generator SECONDS [json]</c>): only the run this section measures, with nothing else in the process;
    /// the contracts generator, or with <paramref name="json"/> the System.Text.Json generator over the same DTOs.
    /// </summary>
    public static void Loop(TimeSpan duration, bool json)
    {
        IReadOnlyList<SyntaxTree> sources = json ? GeneratorInputs.JsonContextSources() : GeneratorInputs.ContractSources();
        IIncrementalGenerator generator = json ? GeneratorInputs.LoadJsonGenerator() : GeneratorInputs.LoadContractsGenerator();
        (GeneratorDriver driver, CSharpCompilation compilation) = AfterFirstRun(generator, sources);
        Console.WriteLine($"generator loop: PID {Environment.ProcessId}, {duration.TotalSeconds:0} s of runs after an unrelated edit");
        Stopwatch watch = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan paused = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        int runs = RunEditsFor(driver, compilation, duration, firstEdit: 0);
        Console.WriteLine(
            $"generator loop: {runs} runs, each {watch.Elapsed.TotalMilliseconds / runs:0.0} ms, " +
            $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs:0.0} ms of CPU, " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / runs / 1024.0 / 1024.0:0.00} MiB allocated, " +
            $"{(GC.GetTotalPauseDuration() - paused).TotalMilliseconds / runs:0.0} ms paused for the GC " +
            $"({GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]} collections of generations 0/1/2)");
    }

    private double FirstRunMilliseconds(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources)
        => MedianMilliseconds(_ => (Driver(generator, track: false), GeneratorInputs.Compilation(sources)));

    /// <summary>The run after an unrelated edit, among the process's first runs of <paramref name="generator"/>.</summary>
    private double EditRunMilliseconds(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources)
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = AfterFirstRun(generator, sources);
        return MedianMilliseconds(run => (driver, compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit(run))));
    }

    /// <summary>The median time of <see cref="BenchmarkSettings.GeneratorRuns"/> runs, after one that warms up.</summary>
    private double MedianMilliseconds(Func<int, (GeneratorDriver Driver, CSharpCompilation Compilation)> prepare)
    {
        List<double> times = [];
        for (int run = 0; run <= settings.GeneratorRuns; run++)
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = prepare(run);

            // Each run starts with a clean heap, so that none pays for the garbage of the one before.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long start = Stopwatch.GetTimestamp();
            driver.RunGenerators(compilation);
            if (run > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return Percentiles.Median(times);
    }

    private static int UncachedOutputsAfterUnrelatedEdit(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources)
    {
        CSharpCompilation compilation = GeneratorInputs.Compilation(sources);
        GeneratorDriver driver = Driver(generator, track: true).RunGenerators(compilation);
        GeneratorRunResult second = driver.RunGenerators(compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit(-1))).GetRunResult().Results.Single();
        return ContractsSteps
            .SelectMany(step => second.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs) ? runs : [])
            .SelectMany(run => run.Outputs)
            .Count(output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    private static void CheckFirstRun(IIncrementalGenerator generator, IReadOnlyList<SyntaxTree> sources, int expectedSources)
    {
        GeneratorRunResult run = Driver(generator, track: false).RunGenerators(GeneratorInputs.Compilation(sources)).GetRunResult().Results.Single();
        if (run.Exception is { } exception)
        {
            throw new InvalidOperationException($"{generator.GetType().Name} failed on the benchmark's input.", exception);
        }

        if (run.Diagnostics.FirstOrDefault(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new InvalidOperationException($"{generator.GetType().Name} reports an error on the benchmark's input: {error}");
        }

        if (run.GeneratedSources.Length < expectedSources)
        {
            throw new InvalidOperationException($"{generator.GetType().Name} generated {run.GeneratedSources.Length} files for {expectedSources} inputs.");
        }
    }

    private static GeneratorDriver Driver(IIncrementalGenerator generator, bool track)
        => CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: GeneratorInputs.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));
}
