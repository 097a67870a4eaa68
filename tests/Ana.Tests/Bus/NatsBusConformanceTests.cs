using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;

namespace Ana.Tests.Bus;

/// <summary>The bus conformance suite on a real nats-server.</summary>
[Collection("nats")]
[RequiresNats]
public sealed class NatsBusConformanceTests(NatsServerFixture nats) : BusConformanceTests
{
    protected override string Url => nats.Url;

    protected override async Task PublishRawAsync(string subject, byte[] payload, string? replyTo = null)
    {
        await using NatsConnection connection = new(NatsOpts.Default with { Url = Url });
        await connection.PublishAsync(subject, payload, replyTo: replyTo);
        await connection.PingAsync();
    }
}
