using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Ana.Cli.Tests.Infrastructure;

/// <summary>
/// The <c>ana</c> CLI running as a process (<c>dotnet Ana.Cli.dll ARGS</c>), its standard output and error captured line by
/// line. Disposing kills it if it still runs: no test leaves a CLI process behind.
/// </summary>
public sealed partial class CliProcess : IAsyncDisposable
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private CliProcess(Process process) => _process = process;

    /// <summary>The path of the built Ana.Cli.dll, recorded at build time by the test project.</summary>
    public static string CliPath { get; } = typeof(CliProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AnaCliPath").Value
        ?? throw new InvalidOperationException("AnaCliPath metadata is missing.");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    public string Stdout => string.Join('\n', StdoutLines);

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>
    /// A native build of the CLI to test instead of <see cref="CliPath"/>, e.g. the NativeAOT binary:
    /// <c>ANA_CLI_EXECUTABLE=/path/to/Ana.Cli dotnet test tests/Ana.Cli.Tests</c>.
    /// </summary>
    public static string? Executable => Environment.GetEnvironmentVariable("ANA_CLI_EXECUTABLE") is { Length: > 0 } path ? path : null;

    /// <summary>Starts <c>dotnet Ana.Cli.dll</c> (or <see cref="Executable"/>) with <paramref name="args"/>.</summary>
    public static CliProcess Start(params string[] args) => Start(args, captureStdout: true);

    /// <summary>
    /// Starts the CLI; with <paramref name="captureStdout"/> false, standard output is left unread for
    /// <see cref="CloseStandardOutput"/>.
    /// </summary>
    public static CliProcess Start(string[] args, bool captureStdout)
    {
        string program = Executable ?? CliPath;
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"The CLI was not built at {program}.", program);
        }

        ProcessStartInfo info = new(Executable ?? (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (Executable is null)
        {
            info.ArgumentList.Add(CliPath);
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tests say where to connect; nothing from the test host's environment leaks in.
        foreach (string variable in (string[])["ANA_NATS_URL", "ANA_NATS_TOKEN", "ANA_NATS_USER", "ANA_NATS_PASSWORD", "ANA_NATS_NKEY_SEED", "ANA_NATS_CREDS"])
        {
            info.Environment.Remove(variable);
        }

        Process process = new() { StartInfo = info, EnableRaisingEvents = true };
        CliProcess cli = new(process);
        process.OutputDataReceived += (_, e) => Add(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Add(cli._stderr, e.Data);
        process.Start();
        if (captureStdout)
        {
            process.BeginOutputReadLine();
        }

        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs the CLI to its end (killing it after <paramref name="timeout"/>) and returns what it did.</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using CliProcess cli = Start(args);
        Stopwatch elapsed = Stopwatch.StartNew();
        int exitCode = await cli.WaitForExitAsync(timeout);
        return new CliResult(exitCode, cli.StdoutLines, cli.Stderr, elapsed.Elapsed);
    }

    /// <summary>Waits for a line of standard output that matches <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None came in time; the message holds what the process wrote.</exception>
    public Task<string> WaitForStdoutAsync(Func<string, bool> predicate, TimeSpan timeout)
        => WaitForLineAsync(_stdout, predicate, timeout, "standard output");

    /// <summary>Waits for a line of standard error that matches <paramref name="predicate"/>.</summary>
    public Task<string> WaitForStderrAsync(Func<string, bool> predicate, TimeSpan timeout)
        => WaitForLineAsync(_stderr, predicate, timeout, "standard error");

    /// <summary>Waits for the process to exit and returns its exit code; kills it and throws after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The CLI did not exit within {timeout.TotalSeconds} s. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Closes the reading end of the process's standard output pipe, as <c>head</c> does when it has enough.</summary>
    public void CloseStandardOutput() => _process.StandardOutput.Close();

    /// <summary>Sends a POSIX signal (SIGINT, SIGTERM) to the process, as Ctrl+C or <c>kill</c> would.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public string Describe() => $"Exited: {_process.HasExited}.{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the test that used it; nothing more to do here.
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task<string> WaitForLineAsync(List<string> lines, Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        while (true)
        {
            lock (lines)
            {
                foreach (string line in lines)
                {
                    if (predicate(line))
                    {
                        return line;
                    }
                }
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"No matching line on {what} within {timeout.TotalSeconds} s. {Describe()}");
            }

            await Task.Delay(Poll);
        }
    }

    private static void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

/// <summary>How a CLI run ended.</summary>
public sealed record CliResult(int ExitCode, IReadOnlyList<string> StdoutLines, string Stderr, TimeSpan Elapsed)
{
    public string Stdout => string.Join('\n', StdoutLines);

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.00} s{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
}
