using System.Diagnostics;
using System.Globalization;
using Ana.Benchmarks.Peers.Servers;

namespace Ana.Benchmarks.Peers;

/// <summary>
/// One stack's server in a process of its own (<see cref="PeerServer"/>): its CPU time read from outside, its allocations
/// and memory asked for over its standard input. Disposing closes its input and waits for it to stop.
/// </summary>
internal sealed class PeerServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private PeerServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>What the server printed after <c>ready</c>: the gRPC server's http address, empty for the NATS stacks.</summary>
    public string Address { get; }

    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<PeerServerProcess> StartAsync(PeerStack stack, string natsUrl, CancellationToken cancellationToken)
    {
        string ready = PeerServer.ReadyWord + " ";
        (Process process, string line) = await ThisProgram.StartAsync(
            $"{stack.Name()} server", ready, [PeerServer.Verb, stack.Argument(), natsUrl], cancellationToken).ConfigureAwait(false);
        return new PeerServerProcess(process, line[ready.Length..]);
    }

    public async Task<long> AllocatedBytesAsync(CancellationToken cancellationToken)
        => long.Parse(await AskAsync(PeerServer.AllocatedCommand, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    public async Task<ProcessMemory> MemoryAfterFullCollectionAsync(CancellationToken cancellationToken)
        => ProcessMemory.Parse(await AskAsync(PeerServer.MemoryCommand, cancellationToken).ConfigureAwait(false));

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> AskAsync(string command, CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), timeout.Token).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(timeout.Token).ConfigureAwait(false);
        return await _process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The server process {_process.Id} exited while asked '{command}'.");
    }
}
