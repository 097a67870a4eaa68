using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;

namespace Ana.Tests.Transport;

/// <summary>Subscriptions whose handler runs on the connection's read loop (what reply routing uses).</summary>
[Collection("nats")]
public sealed class NatsInlineSubscriptionTests(NatsServerFixture fixture)
{
    private static CancellationToken Token => new CancellationTokenSource(NatsTestSupport.Timeout).Token;

    [NatsFact]
    public async Task Small_large_and_empty_payloads_arrive_whole_and_in_order()
    {
        await using NatsTransport publisher = await NatsTestSupport.ConnectAsync(fixture.Url);
        await using NatsTransport subscriber = await NatsTestSupport.ConnectAsync(fixture.Url);
        Collector collector = new();
        string subject = NatsTestSupport.Unique("inline");
        await using ITransportSubscription subscription = await subscriber.SubscribeInlineAsync(subject, collector.Handler, Token);
        Assert.Equal(subject, subscription.Subject);

        // 200 KB spans several of the socket reader's segments: the handler still sees one contiguous payload.
        byte[] large = new byte[200_000];
        Random.Shared.NextBytes(large);
        await publisher.PublishAsync(subject, "reply.here", new byte[] { 1, 2, 3 }, Token);
        await publisher.PublishAsync(subject, null, large, Token);
        await publisher.PublishAsync(subject, null, ReadOnlyMemory<byte>.Empty, Token);

        Received first = await collector.NextAsync();
        Assert.Equal([1, 2, 3], first.Payload);
        Assert.Equal("reply.here", first.ReplyTo);
        Assert.False(first.IsNoResponders);
        Assert.Equal(large, (await collector.NextAsync()).Payload);
        Received empty = await collector.NextAsync();
        Assert.Empty(empty.Payload);
        Assert.False(empty.IsNoResponders);
    }

    [NatsFact]
    public async Task A_publish_nobody_receives_brings_the_no_responders_notice()
    {
        await using NatsTransport transport = await NatsTestSupport.ConnectAsync(fixture.Url);
        string inbox = transport.NewInboxPrefix();
        Collector replies = new();
        await using ITransportSubscription subscription = await transport.SubscribeInlineAsync($"{inbox}.*", replies.Handler, Token);

        await transport.PublishAsync(NatsTestSupport.Unique("nobody"), $"{inbox}.9", "anyone?"u8.ToArray(), Token);

        Received notice = await replies.NextAsync();
        Assert.True(notice.IsNoResponders);
        Assert.Equal($"{inbox}.9", notice.Subject);
        Assert.Empty(notice.Payload);
    }

    [NatsFact]
    public async Task A_throwing_handler_is_logged_and_the_subscription_keeps_delivering()
    {
        RecordingLogger logger = new();
        await using NatsTransport transport = await NatsTestSupport.ConnectAsync(fixture.Url, logger);
        string subject = NatsTestSupport.Unique("inline-throws");
        Collector collector = new();
        await using ITransportSubscription subscription = await transport.SubscribeInlineAsync(subject, message => message.Payload.Span[0] switch
        {
            1 => throw new InvalidOperationException("boom"),
            2 => ValueTask.FromException(new InvalidOperationException("async boom")),
            _ => collector.Handler(message),
        }, Token);

        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await transport.PublishAsync(subject, null, new byte[] { 2 }, Token);
        await transport.PublishAsync(subject, null, new byte[] { 3 }, Token);

        Assert.Equal([3], (await collector.NextAsync()).Payload);
        LogEntry error = await logger.WaitForAsync(e => e.Exception?.Message == "boom", NatsTestSupport.Timeout);
        Assert.Equal(LogLevel.Error, error.Level);
        await logger.WaitForAsync(e => e.Exception?.Message == "async boom", NatsTestSupport.Timeout);
    }

    [NatsFact]
    public async Task Disposing_unsubscribes_at_the_server_and_twice_is_harmless()
    {
        await using NatsTransport transport = await NatsTestSupport.ConnectAsync(fixture.Url);
        string subject = NatsTestSupport.Unique("inline-dispose");
        Collector disposed = new();
        ITransportSubscription subscription = await transport.SubscribeInlineAsync(subject, disposed.Handler, Token);
        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await disposed.NextAsync();

        await subscription.DisposeAsync();
        await subscription.DisposeAsync();

        // With the subscription gone at the server, a request to the subject finds nobody.
        string inbox = transport.NewInboxPrefix();
        Collector replies = new();
        await using ITransportSubscription replySubscription = await transport.SubscribeInlineAsync($"{inbox}.*", replies.Handler, Token);
        await transport.PublishAsync(subject, $"{inbox}.1", new byte[] { 2 }, Token);
        Assert.True((await replies.NextAsync()).IsNoResponders);
        Assert.Equal(1, disposed.Count);
    }
}
