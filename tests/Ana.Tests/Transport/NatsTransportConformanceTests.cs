using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;

namespace Ana.Tests.Transport;

/// <summary>The transport conformance suite on a real nats-server.</summary>
[Collection("nats")]
[RequiresNats]
public sealed class NatsTransportConformanceTests(NatsServerFixture nats) : TransportConformanceTests
{
    private protected override async Task<ITransport> OpenAsync() => await NatsTestSupport.ConnectAsync(nats.Url);

    private protected override async Task FlushAsync(ITransport transport)
    {
        using CancellationTokenSource cts = new(NatsTestSupport.Timeout);
        await ((NatsTransport)transport).Connection.PingAsync(cts.Token);
    }
}
