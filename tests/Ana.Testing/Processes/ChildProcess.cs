using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Ana.Testing.Processes;

/// <summary>
/// A process a test started, its standard output and error captured line by line. Disposing kills it (and what it
/// started) if it still runs: no test leaves a process behind.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable, IDisposable
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly List<(bool IsError, string Text)> _lines = [];

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The process's working set now, in bytes.</summary>
    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public IReadOnlyList<string> StdoutLines => Lines(isError: false);

    public string Stdout => string.Join('\n', StdoutLines);

    public string Stderr => string.Join('\n', Lines(isError: true));

    /// <summary>Standard output and error interleaved in the order the lines arrived.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines.Select(l => l.Text));
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="info"/> with its standard streams redirected (UTF-8); with <paramref name="captureStdout"/>
    /// false, standard output is left unread for <see cref="CloseStandardOutput"/>.
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo info, bool captureStdout = true)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;

        Process process = new() { StartInfo = info, EnableRaisingEvents = true };
        ChildProcess child = new(process);
        process.OutputDataReceived += (_, e) => child.Add(isError: false, e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(isError: true, e.Data);
        process.Start();
        if (captureStdout)
        {
            process.BeginOutputReadLine();
        }

        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs <paramref name="info"/> to its end (killing it and throwing <see cref="TimeoutException"/> after <paramref name="timeout"/>).</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        await using ChildProcess child = Start(info);
        int exitCode = await child.WaitForExitAsync(timeout);
        return new ProcessResult(exitCode, child.StdoutLines, child.Stderr, child.Output);
    }

    /// <summary>Waits for a line of standard output that matches <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None came in time; the message holds what the process wrote.</exception>
    public Task<string> WaitForStdoutAsync(Func<string, bool> predicate, TimeSpan timeout)
        => WaitForLineAsync(isError: false, predicate, timeout);

    /// <summary>Waits for a line of standard error that matches <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None came in time; the message holds what the process wrote.</exception>
    public Task<string> WaitForStderrAsync(Func<string, bool> predicate, TimeSpan timeout)
        => WaitForLineAsync(isError: true, predicate, timeout);

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
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Closes the reading end of the process's standard output pipe, as <c>head</c> does when it has enough.</summary>
    public void CloseStandardOutput() => _process.StandardOutput.Close();

    /// <summary>Sends a POSIX signal (<see cref="SIGINT"/>, <see cref="SIGTERM"/>) to the process, as Ctrl+C or <c>kill</c> would.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Kills the process and what it started, at once (SIGKILL: no goodbye).</summary>
    public void Kill()
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

    /// <summary>Whether it exited, and what it wrote: for assertion messages.</summary>
    public string Describe() => $"Exited: {_process.HasExited}.{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using CancellationTokenSource cts = new(KillTimeout);
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the test that used it; nothing more to do here.
        }

        _process.Dispose();
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(KillTimeout);
        _process.Dispose();
    }

    private string Name => string.Join(' ', [_process.StartInfo.FileName, .. _process.StartInfo.ArgumentList]);

    private IReadOnlyList<string> Lines(bool isError)
    {
        lock (_lines)
        {
            return [.. _lines.Where(l => l.IsError == isError).Select(l => l.Text)];
        }
    }

    private async Task<string> WaitForLineAsync(bool isError, Func<string, bool> predicate, TimeSpan timeout)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        while (true)
        {
            foreach (string line in Lines(isError))
            {
                if (predicate(line))
                {
                    return line;
                }
            }

            if (elapsed.Elapsed > timeout)
            {
                string what = isError ? "standard error" : "standard output";
                throw new TimeoutException($"No matching line on {what} within {timeout.TotalSeconds} s. {Describe()}");
            }

            await Task.Delay(Poll);
        }
    }

    private void Add(bool isError, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add((isError, line));
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
