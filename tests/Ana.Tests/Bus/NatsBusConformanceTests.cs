using Ana.Tests.Infrastructure;
using NATS.Client.Core;

namespace Ana.Tests.Bus;

/// <summary>The bus conformance suite on a real nats-server.</summary>
[Collection("nats")]
public sealed class NatsBusConformanceTests(NatsServerFixture nats) : BusConformanceTests
{
    protected override string Url
    {
        get
        {
            Skip.If(NatsServer.SkipRequested, "ANA_SKIP_NATS=1");
            return nats.Url;
        }
    }

    protected override async Task PublishRawAsync(string subject, byte[] payload)
    {
        await using NatsConnection connection = new(NatsOpts.Default with { Url = Url });
        await connection.PublishAsync(subject, payload);
        await connection.PingAsync();
    }
}
