using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

/// <summary>
/// What only the NATS transport has: its logging, and the client's dropped-message and slow-consumer events. What every
/// transport promises is in <see cref="TransportConformanceTests"/>; connecting and reconnecting are tested apart.
/// </summary>
[Collection("nats")]
public sealed class NatsTransportTests(NatsServerFixture fixture)
{
    private static readonly TimeSpan Timeout = NatsTestSupport.Timeout;

    private static CancellationToken Token => new CancellationTokenSource(Timeout).Token;

    private Task<NatsTransport> ConnectAsync(ILogger? logger = null, Func<NatsOpts, NatsOpts>? configure = null)
        => NatsTestSupport.ConnectAsync(fixture.Url, logger, configure);

    [NatsFact]
    public async Task A_throwing_handler_is_logged_and_the_subscription_keeps_delivering()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await ConnectAsync(logger);
        string subject = NatsTestSupport.Unique("throws");
        Collector collector = new();
        await using ITransportSubscription subscription = await transport.SubscribeAsync(subject, null, message =>
        {
            if (message.Payload.Span[0] == 1)
            {
                throw new InvalidOperationException("boom");
            }

            if (message.Payload.Span[0] == 2)
            {
                return ValueTask.FromException(new InvalidOperationException("async boom"));
            }

            return collector.Handler(message);
        }, Token);

        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await transport.PublishAsync(subject, null, new byte[] { 2 }, Token);
        await transport.PublishAsync(subject, null, new byte[] { 3 }, Token);

        Assert.Equal([3], (await collector.NextAsync()).Payload);
        LogEntry error = await logger.WaitForAsync(e => e.Exception?.Message == "boom", Timeout);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(subject, error.Message, StringComparison.Ordinal);
        LogEntry asyncError = await logger.WaitForAsync(e => e.Exception?.Message == "async boom", Timeout);
        Assert.Equal(LogLevel.Error, asyncError.Level);
    }

    [NatsFact]
    public async Task A_subscription_the_client_ends_by_itself_is_listed_as_a_fault_until_it_is_disposed()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await ConnectAsync(logger);
        string subject = NatsTestSupport.Unique("ended");
        ITransportSubscription subscription = await transport.SubscribeAsync(subject, "workers", _ => default, Token);
        Assert.Empty(transport.SubscriptionFaults);

        // The client closes under the transport: it completes every subscription's channel, nobody having asked.
        await transport.Connection.DisposeAsync();

        LogEntry faulted = await logger.WaitForAsync(e => e.EventId.Id == 15, Timeout);
        Assert.Equal(LogLevel.Error, faulted.Level);
        AgentSubscriptionFault fault = Assert.Single(transport.SubscriptionFaults);
        Assert.Equal(subject, fault.Subject);
        Assert.Equal("workers", fault.QueueGroup);
        Assert.Equal("The NATS client ended the subscription.", fault.Reason);

        await subscription.DisposeAsync();
        Assert.Empty(transport.SubscriptionFaults);
    }

    [NatsFact]
    public async Task Draining_or_disposing_a_subscription_is_no_fault()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await ConnectAsync(logger);
        ITransportSubscription drained = await transport.SubscribeAsync(NatsTestSupport.Unique("drained"), null, _ => default, Token);
        ITransportSubscription disposed = await transport.SubscribeAsync(NatsTestSupport.Unique("disposed"), null, _ => default, Token);

        await drained.DrainAsync(Token);
        await disposed.DisposeAsync();

        Assert.Empty(transport.SubscriptionFaults);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 15);
    }

    [NatsFact]
    public async Task Dropped_messages_are_counted_and_logged_as_warnings()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await ConnectAsync(logger, o => o with { SubPendingChannelCapacity = 4 });
        string subject = NatsTestSupport.Unique("slow");
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ITransportSubscription subscription = await transport.SubscribeAsync(subject, null, async _ => await release.Task, Token);

        for (int i = 0; i < 50; i++)
        {
            await transport.PublishAsync(subject, null, new byte[] { (byte)i }, Token);
        }

        LogEntry dropped = await logger.WaitForAsync(e => e.EventId.Id == 5, Timeout);
        Assert.Equal(LogLevel.Warning, dropped.Level);
        Assert.Contains(subject, dropped.Message, StringComparison.Ordinal);
        LogEntry slow = await logger.WaitForAsync(e => e.EventId.Id == 6, Timeout);
        Assert.Equal(LogLevel.Warning, slow.Level);
        Assert.True(transport.DroppedMessages > 0);
        Assert.True(transport.SlowConsumerEvents > 0);
        release.SetResult();
    }

    [NatsFact]
    public async Task Connection_opened_is_logged_at_information()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await ConnectAsync(logger);
        LogEntry opened = await logger.WaitForAsync(e => e.EventId.Id == 1, Timeout);
        Assert.Equal(LogLevel.Information, opened.Level);
    }
}
