using System.Diagnostics;

namespace Ana.Benchmarks;

/// <summary>Starts this program again in a process of its own (a responder, a peer server), its standard streams redirected.</summary>
internal static class ThisProgram
{
    /// <summary>
    /// Starts this program with <paramref name="arguments"/> and waits (30 s at most) for the first line of its output
    /// that starts with <paramref name="readyPrefix"/>; returns the process and that line. A process that exits or stays
    /// silent first is killed, and the start fails.
    /// </summary>
    public static async Task<(Process Process, string ReadyLine)> StartAsync(string name, string readyPrefix, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        Process process = Process.Start(StartInfo(arguments)) ?? throw new InvalidOperationException($"Could not start the {name} process.");
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith(readyPrefix, StringComparison.Ordinal))
                {
                    return (process, line);
                }
            }

            throw new InvalidOperationException($"The {name} process exited (code {(process.HasExited ? process.ExitCode : -1)}) before it was ready.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        ProcessStartInfo start = new(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Ana.Benchmarks.dll` the process is the host: hand it the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ThisProgram).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
