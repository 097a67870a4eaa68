using System.Diagnostics;
using System.Globalization;
using Ana.Testing.Processes;

namespace Ana.Contracts.Tests.Durable;

/// <summary>Worker processes for the durable fault tests: tests/Ana.DurableWorker, which serves <see cref="IIndexer"/> and prints each run.</summary>
internal static class DurableWorkers
{
    /// <summary>Starts a worker named <paramref name="name"/> (ack wait 2 s) and waits until it serves.</summary>
    public static async Task<ChildProcess> StartAsync(string url, string prefix, string name, int lingerMs = 0)
    {
        ChildProcess worker = ChildProcess.Start(new ProcessStartInfo(
            DotNetHost.Path,
            [Path(), "--nats", url, "--prefix", prefix, "--name", name, "--ack-wait", "2", "--linger-ms", lingerMs.ToString(CultureInfo.InvariantCulture)]));
        try
        {
            await worker.WaitForStdoutAsync(line => line == "ready", TimeSpan.FromSeconds(60));
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>tests/Ana.DurableWorker's build output, built with this project (a project reference that is not referenced).</summary>
    private static string Path()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        string? configuration = null;
        while (directory is not null && !Directory.Exists(System.IO.Path.Combine(directory.FullName, "Ana.DurableWorker")))
        {
            if (directory.Parent?.Name == "bin")
            {
                configuration = directory.Name;
            }

            directory = directory.Parent;
        }

        Assert.True(directory is not null && configuration is not null, $"tests/Ana.DurableWorker not found above {AppContext.BaseDirectory}");
        string path = System.IO.Path.Combine(directory.FullName, "Ana.DurableWorker", "bin", configuration, "net10.0", "Ana.DurableWorker.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build tests/Ana.Contracts.Tests");
        return path;
    }
}
