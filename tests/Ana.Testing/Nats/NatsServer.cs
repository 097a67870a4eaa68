using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ana.Testing.Processes;

namespace Ana.Testing.Nats;

/// <summary>
/// A real <c>nats-server</c> process on 127.0.0.1 and a free port, for tests. Set <c>ANA_NATS_URL</c> to use a running
/// server instead (nothing is started then), or <c>ANA_SKIP_NATS=1</c> to skip the NATS tests (<see cref="Skipping.NatsSkip"/>).
/// </summary>
public sealed class NatsServer : IAsyncDisposable, IDisposable
{
    public const string NotFoundMessage =
        "nats-server not found. Install it (Debian/Ubuntu: sudo apt-get install nats-server) or set ANA_NATS_URL to a running server; ANA_SKIP_NATS=1 skips the NATS tests.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<NatsServer, byte> Running = new();

    private readonly string? _executable;
    private readonly string[] _extraArgs;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private ChildProcess? _process;
    private string _stoppedOutput = string.Empty;
    private bool _disposed;

    static NatsServer()
    {
        // Safety net: if the test host exits without disposing, still kill what we started.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (NatsServer server in Running.Keys)
            {
                server._process?.Kill();
            }
        };
    }

    private NatsServer(string url, int port, string? executable, string[] extraArgs)
    {
        Url = url;
        Port = port;
        _executable = executable;
        _extraArgs = extraArgs;
    }

    /// <summary>The value of <c>ANA_NATS_URL</c>, if set.</summary>
    public static string? ExternalUrl => Environment.GetEnvironmentVariable("ANA_NATS_URL") is { Length: > 0 } url ? url : null;

    /// <summary><c>nats://127.0.0.1:PORT</c>, or <c>ANA_NATS_URL</c>.</summary>
    public string Url { get; }

    /// <summary>The port the started server listens on; -1 for an external server.</summary>
    public int Port { get; }

    /// <summary>True when the server comes from <c>ANA_NATS_URL</c> (not started, not stoppable here).</summary>
    public bool IsExternal => _executable is null;

    /// <summary>The running server's stdout and stderr so far; once it is stopped, what it wrote until then.</summary>
    public string Output => _process?.Output ?? _stoppedOutput;

    /// <summary>
    /// Starts <c>nats-server -a 127.0.0.1 -p PORT</c> plus <paramref name="extraArgs"/> (e.g. <c>-c file.conf</c>,
    /// <c>--auth TOKEN</c>) and waits until it answers on its port; with <c>ANA_NATS_URL</c> set, returns that server.
    /// </summary>
    public static Task<NatsServer> StartAsync(params string[] extraArgs) => StartAsync(extraArgs, CancellationToken.None);

    public static async Task<NatsServer> StartAsync(string[] extraArgs, CancellationToken cancellationToken)
    {
        if (ExternalUrl is { } external)
        {
            return new NatsServer(external, -1, null, []);
        }

        string executable = FindExecutable() ?? throw new InvalidOperationException(NotFoundMessage);

        // Another process can grab the port between our probe and the server's bind: then retry on another port.
        for (int attempt = 1; ; attempt++)
        {
            int port = LoopbackPorts.Free();
            NatsServer server = new(
                string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{port}"), port, executable, extraArgs);
            try
            {
                await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (NatsServerStartException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Starts <c>nats-server -a 127.0.0.1 -p PORT -c FILE</c>, FILE holding <paramref name="configText"/> (e.g. a
    /// <c>tls { }</c> or <c>authorization { }</c> block); the file is written to <paramref name="directory"/>, which
    /// the caller owns and deletes. With <c>ANA_NATS_URL</c> set, returns that server (use <c>[OwnNatsServerFact]</c>).
    /// </summary>
    public static Task<NatsServer> StartWithConfigAsync(string configText, string directory, CancellationToken cancellationToken = default)
    {
        string file = Path.Combine(directory, "nats-" + Guid.NewGuid().ToString("N")[..8] + ".conf");
        File.WriteAllText(file, configText);
        return StartAsync(["-c", file], cancellationToken);
    }

    /// <summary>Kills the server and starts it again on the same port (for reconnect and fault tests).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the server (the port is kept for <see cref="StartAgainAsync"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfExternal();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await KillAndWaitAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops the server cleanly, as an operator's <c>kill</c> does (SIGTERM: it closes its clients and, with JetStream,
    /// writes its state), waiting for it to exit; the port is kept for <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task TerminateAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfExternal();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is { } process)
            {
                process.Signal(ChildProcess.SIGTERM);
                await process.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }

            await KillAndWaitAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts a stopped server again on the same port.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartProcessAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (IsExternal)
        {
            return;
        }

        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await KillAndWaitAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public void Dispose()
    {
        if (IsExternal)
        {
            return;
        }

        _lifecycle.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _process?.Dispose();
            _process = null;
            Running.TryRemove(this, out _);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private static string? FindExecutable()
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "nats-server.exe" : "nats-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (string? candidate in new[] { "/usr/sbin/nats-server", "/usr/local/bin/nats-server", "/usr/bin/nats-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        ThrowIfExternal();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool started = false;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is not null)
            {
                throw new InvalidOperationException("The server is already running.");
            }

            ProcessStartInfo info = new(_executable!);
            info.ArgumentList.Add("-a");
            info.ArgumentList.Add("127.0.0.1");
            info.ArgumentList.Add("-p");
            info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
            foreach (string arg in _extraArgs)
            {
                info.ArgumentList.Add(arg);
            }

            ChildProcess process = ChildProcess.Start(info);
            _process = process;
            started = true;
            Running.TryAdd(this, 0);

            await WaitUntilReadyAsync(process, cancellationToken).ConfigureAwait(false);
        }
        catch when (started)
        {
            await KillAndWaitAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task WaitUntilReadyAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        Stopwatch deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Let the output readers catch up with what the process wrote before exiting.
                int exitCode = await process.WaitForExitAsync(StopTimeout).ConfigureAwait(false);
                throw new NatsServerStartException(
                    $"nats-server exited with code {exitCode} before accepting connections on 127.0.0.1:{Port}. Output:{Environment.NewLine}{Output}");
            }

            if (await AnswersWithInfoAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new NatsServerStartException(
                    $"nats-server did not accept connections on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s. Output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AnswersWithInfoAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using TcpClient client = new(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, Port, probe.Token).ConfigureAwait(false);
            byte[] buffer = new byte[5];
            int read = 0;
            NetworkStream stream = client.GetStream();
            while (read < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(read), probe.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(buffer) == "INFO ";
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task KillAndWaitAsync()
    {
        ChildProcess? process = _process;
        _process = null;
        if (process is not null)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            _stoppedOutput = process.Output;
        }

        Running.TryRemove(this, out _);
    }

    private void ThrowIfExternal()
    {
        if (IsExternal)
        {
            throw new InvalidOperationException("The NATS server comes from ANA_NATS_URL: it cannot be stopped or restarted by the tests.");
        }
    }
}
