using Ana.Testing.Processes;

namespace Ana.Package.Tests;

/// <summary>
/// Packs Ana.Contracts once per test run into a fresh local feed. The pack builds into the repository's
/// <c>artifacts/package-tests</c> (its own bin and obj, incremental across runs), never into the projects' bin/obj
/// that other test projects may be building at the same time.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A temporary folder for this run; deleted at the end.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ana-package-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; private set; } = "";

    public string PackagePath { get; private set; } = "";

    /// <summary>The Ana.Contracts.Hosting package, packed next to <see cref="PackagePath"/>.</summary>
    public string HostingPackagePath { get; private set; } = "";

    /// <summary>The machine's enabled package sources (<c>dotnet nuget list source</c>), for the package's dependencies.</summary>
    public IReadOnlyList<string> MachineSources { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        string artifacts = Path.Combine(RepositoryRoot, "artifacts", "package-tests");
        foreach (string project in new[] { Path.Combine("src", "Ana", "Ana.csproj"), Path.Combine("src", "Ana.Hosting", "Ana.Hosting.csproj") })
        {
            ProcessResult pack = await DotNet.RunAsync(
                RepositoryRoot, BuildTimeout,
                "pack", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", Feed, "--artifacts-path", artifacts, "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
            pack.EnsureSuccess("dotnet pack " + project);
        }

        // Listed from the temporary folder: the machine's and the user's configuration, not the repository's.
        ProcessResult sources = await DotNet.RunAsync(Root, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        sources.EnsureSuccess("dotnet nuget list source");
        MachineSources = sources.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToArray();
        if (MachineSources.Count == 0)
        {
            MachineSources = ["https://api.nuget.org/v3/index.json"];
        }

        string[] packages = Directory.GetFiles(Feed, "Ana.Contracts.*.nupkg")
            .Where(p => !p.EndsWith(".snupkg", StringComparison.Ordinal) && char.IsAsciiDigit(Path.GetFileName(p)["Ana.Contracts.".Length]))
            .ToArray();
        Assert.Single(packages);
        PackagePath = packages[0];
        Version = Path.GetFileNameWithoutExtension(PackagePath)["Ana.Contracts.".Length..];
        HostingPackagePath = Path.Combine(Feed, $"Ana.Contracts.Hosting.{Version}.nupkg");
        Assert.True(File.Exists(HostingPackagePath), "no Ana.Contracts.Hosting package next to Ana.Contracts");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ana.Contracts.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Ana.Contracts.sln not found above {AppContext.BaseDirectory}");
    }
}
