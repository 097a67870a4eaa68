using System.Globalization;

namespace Ana.Benchmarks.Peers;

/// <summary>A process's working set and managed heap, measured after a full, compacting collection.</summary>
internal readonly record struct ProcessMemory(long WorkingSetBytes, long HeapBytes)
{
    public static ProcessMemory AfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return new ProcessMemory(Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
    }

    public static ProcessMemory Parse(string line)
    {
        string[] parts = line.Split(' ');
        return new ProcessMemory(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{WorkingSetBytes} {HeapBytes}");
}
