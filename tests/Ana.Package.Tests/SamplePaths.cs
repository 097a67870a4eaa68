namespace Ana.Package.Tests;

/// <summary>Where the solution built the samples: next to this project's own output, in the same configuration.</summary>
internal static class SamplePaths
{
    // This assembly lives in tests/Ana.Package.Tests/bin/<Configuration>/net10.0/: the samples in samples/<name>/bin/<Configuration>/net10.0/.
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Repository { get; } = Output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    public static string Dll(string sample)
    {
        string dll = Path.Combine(Repository, "samples", sample, "bin", Output.Parent!.Name, "net10.0", sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built (this project references the samples, so building it builds them)");
        return dll;
    }
}
