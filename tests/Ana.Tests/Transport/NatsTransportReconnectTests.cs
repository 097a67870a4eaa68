using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Microsoft.Extensions.Logging;

namespace Ana.Tests.Transport;

/// <summary>Faults against a server of its own (restarted during the test).</summary>
public sealed class NatsTransportReconnectTests
{
    [OwnNatsServerFact]
    public async Task Lost_and_reopened_connections_are_logged_and_subscriptions_survive()
    {
        await using var server = await NatsServer.StartAsync();

        var logger = new RecordingLogger();
        await using var transport = await NatsTestSupport.ConnectAsync(
            server.Url,
            logger,
            o => o with { ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200), ReconnectJitter = TimeSpan.Zero });
        var subject = NatsTestSupport.Unique("survive");
        var collector = new Collector();
        using var cts = new CancellationTokenSource(NatsTestSupport.Timeout);
        await using var subscription = await transport.SubscribeAsync(subject, null, collector.Handler, cts.Token);

        await server.RestartAsync(cts.Token);

        var lost = await logger.WaitForAsync(e => e.EventId.Id == 2, NatsTestSupport.Timeout);
        Assert.Equal(LogLevel.Information, lost.Level);
        var reopened = await logger.WaitForAsync(e => e.EventId.Id == 3, NatsTestSupport.Timeout);
        Assert.Equal(LogLevel.Information, reopened.Level);

        await transport.Connection.PingAsync(cts.Token); // the re-sent SUB has been processed
        await transport.PublishAsync(subject, null, new byte[] { 5 }, cts.Token);
        Assert.Equal([5], (await collector.NextAsync()).Payload);
    }
}
