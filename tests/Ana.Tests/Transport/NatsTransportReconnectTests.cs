using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;

namespace Ana.Tests.Transport;

/// <summary>Faults against a server of its own (restarted during the test).</summary>
public sealed class NatsTransportReconnectTests
{
    [OwnNatsServerFact]
    public async Task Lost_and_reopened_connections_are_logged_and_subscriptions_survive()
    {
        await using NatsServer server = await NatsServer.StartAsync();

        RecordingLogger logger = new();
        await using NatsTransport transport = await NatsTestSupport.ConnectAsync(
            server.Url,
            logger,
            o => o with { ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200), ReconnectJitter = TimeSpan.Zero });
        string subject = NatsTestSupport.Unique("survive");
        Collector collector = new();
        using CancellationTokenSource cts = new(NatsTestSupport.Timeout);
        await using ITransportSubscription subscription = await transport.SubscribeAsync(subject, null, collector.Handler, cts.Token);

        await server.RestartAsync(cts.Token);

        LogEntry lost = await logger.WaitForAsync(e => e.EventId.Id == 2, NatsTestSupport.Timeout);
        Assert.Equal(LogLevel.Information, lost.Level);
        LogEntry reopened = await logger.WaitForAsync(e => e.EventId.Id == 3, NatsTestSupport.Timeout);
        Assert.Equal(LogLevel.Information, reopened.Level);

        await transport.Connection.PingAsync(cts.Token); // the re-sent SUB has been processed
        await transport.PublishAsync(subject, null, new byte[] { 5 }, cts.Token);
        Assert.Equal([5], (await collector.NextAsync()).Payload);
    }
}
