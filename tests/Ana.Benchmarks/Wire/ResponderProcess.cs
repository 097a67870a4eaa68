using System.Diagnostics;

namespace Ana.Benchmarks.Wire;

/// <summary>This program started again as <c>responder</c>, in a process of its own; disposing closes its input and waits for it.</summary>
internal sealed class ResponderProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ResponderProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static async Task<ResponderProcess> StartAsync(string url, bool profileAllocations, CancellationToken cancellationToken)
    {
        string[] arguments = profileAllocations ? ["responder", url, Responder.ProfileFlag] : ["responder", url];
        (Process process, _) = await ThisProgram.StartAsync("responder", Responder.ReadyLine, arguments, cancellationToken).ConfigureAwait(false);
        return new ResponderProcess(process);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        try
        {
            // Whatever it printed after "ready" (an allocation profile, when asked for).
            Console.Write(await _process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
