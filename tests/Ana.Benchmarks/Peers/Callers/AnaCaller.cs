using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Wire;

namespace Ana.Benchmarks.Peers.Callers;

/// <summary>The generated client of <see cref="IBench"/>: <c>echo</c> or <c>echo_after_wait</c>.</summary>
internal sealed class AnaCaller(IBench client, PeerHandler handler) : IEchoCaller
{
    public async ValueTask CallAsync(CancellationToken cancellationToken)
        => EchoCheck.Verify(handler == PeerHandler.Immediate
            ? await client.EchoAsync(Reading.Sample, cancellationToken).ConfigureAwait(false)
            : await client.EchoAfterWaitAsync(Reading.Sample, cancellationToken).ConfigureAwait(false));
}
