using Ana.Benchmarks.Wire;

namespace Ana.Benchmarks.Profiling;

/// <summary>
/// Where the bytes of a call go: many sequential calls of one path (raw or typed) with the allocations of the caller and
/// of the responder process sampled by type. A tool for working on the hot path, not a benchmark: it prints no ratios.
/// </summary>
internal static class AllocationProfile
{
    public static async Task RunAsync(bool typed, int calls, CancellationToken cancellationToken)
    {
        await using WireSetup setup = await WireSetup.StartAsync(profileResponder: true, cancellationToken);
        IEchoCaller caller = typed ? setup.Typed : setup.Raw;
        await LoadRunner.SequentialAsync(caller, new long[2_000], cancellationToken);

        using AllocationSampler sampler = new();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        sampler.Start();
        await LoadRunner.SequentialAsync(caller, new long[calls], cancellationToken);
        sampler.Stop();
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"Caller ({(typed ? "typed" : "raw")}), {bytes / calls} bytes per call; allocations by type (sampled):");
        Console.WriteLine(sampler.Top(20));
    }
}
