using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Peers.Grpc;
using Ana.Benchmarks.Wire;
using Google.Protobuf.WellKnownTypes;

namespace Ana.Benchmarks.Peers.Callers;

/// <summary>The generated gRPC client, unary: <c>Echo</c> or <c>EchoAfterWait</c> with <see cref="Reading.Sample"/>'s fields.</summary>
internal sealed class GrpcCaller(PeerBench.PeerBenchClient client, PeerHandler handler) : IEchoCaller
{
    private static readonly GrpcReading Sample = new()
    {
        Id = Reading.Sample.Id,
        Sensor = Reading.Sample.Sensor,
        Value = Reading.Sample.Value,
        At = Timestamp.FromDateTimeOffset(Reading.Sample.At),
    };

    public async ValueTask CallAsync(CancellationToken cancellationToken)
    {
        GrpcReading reply = handler == PeerHandler.Immediate
            ? await client.EchoAsync(Sample, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.EchoAfterWaitAsync(Sample, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!reply.Equals(Sample))
        {
            throw new InvalidOperationException($"The echo came back as {reply}, not {Sample}.");
        }
    }
}
