using System.Globalization;
using System.Text;
using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

/// <summary>
/// What only the in-process broker has: brokers shared by name, bounded subscription queues, handler-failure counts,
/// subject validation and its subscription table. What every transport promises is in <see cref="TransportConformanceTests"/>.
/// </summary>
public sealed class MemoryTransportTests
{
    [ThreadStatic]
    private static bool t_insidePublish;

    [Fact]
    public async Task Transports_with_the_same_name_share_one_broker()
    {
        string name = MemoryTestKit.NewBrokerName();
        await using MemoryTransport a = new(name);
        await using MemoryTransport b = new(name);
        Assert.Same(a.Broker, b.Broker);
        Assert.Same(a.Broker, MemoryBroker.Get(name));

        Collector collector = new();
        await using ITransportSubscription sub = await b.SubscribeAsync("greet", collector);
        await a.PublishAsync("greet", "hello");

        Assert.Equal("hello", await collector.NextTextAsync());
    }

    [Fact]
    public async Task Brokers_with_different_names_are_isolated()
    {
        await using MemoryTransport x = new(MemoryTestKit.NewBrokerName());
        await using MemoryTransport y = new(MemoryTestKit.NewBrokerName());
        Assert.NotSame(x.Broker, y.Broker);

        Collector onY = new();
        await using ITransportSubscription sub = await y.SubscribeAsync(">", onY);

        await x.PublishAsync("iso.lated", "from x");
        await y.PublishAsync("iso.marker", "from y");

        // Delivery is in order per subscription: had the first publish leaked, it would come first.
        Assert.Equal("from y", await onY.NextTextAsync());
        Assert.Equal(1, onY.Count);
    }

    [Fact]
    public async Task Handler_failures_are_counted_by_the_subscription()
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        Collector collector = new(async message =>
        {
            string text = Encoding.UTF8.GetString(message.Payload.Span);
            if (text == "throw")
            {
                throw new InvalidOperationException("synchronous failure");
            }

            if (text == "fault")
            {
                await Task.Yield();
                throw new InvalidOperationException("asynchronous failure");
            }
        });
        MemorySubscription sub = (MemorySubscription)await transport.SubscribeAsync("risky", collector);

        await transport.PublishAsync("risky", "throw");
        await transport.PublishAsync("risky", "fault");
        await transport.PublishAsync("risky", "after");

        Assert.Equal("after", await collector.NextTextAsync());
        Assert.Equal(2, sub.HandlerFailureCount);
        await sub.DisposeAsync();
    }

    [Fact]
    public async Task Handlers_are_never_invoked_inside_publish()
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        int invokedInside = 0;
        Collector collector = new(_ =>
        {
            if (t_insidePublish)
            {
                Interlocked.Increment(ref invokedInside);
            }

            return ValueTask.CompletedTask;
        });
        await using ITransportSubscription sub = await transport.SubscribeAsync("sync", collector);

        for (int i = 0; i < 100; i++)
        {
            t_insidePublish = true;
            try
            {
                await transport.PublishAsync("sync", "x");
            }
            finally
            {
                t_insidePublish = false;
            }

            await collector.NextAsync();
        }

        Assert.Equal(0, invokedInside);
    }

    [Fact]
    public async Task A_full_queue_drops_the_newest_without_blocking()
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Collector collector = new(async _ =>
        {
            holding.TrySetResult();
            await release.Task;
        });
        MemorySubscription sub = (MemorySubscription)await transport.SubscribeAsync("flood", collector);
        try
        {
            await transport.PublishAsync("flood", "held");
            await holding.Task.WithTimeout();

            for (int i = 0; i < MemorySubscription.Capacity + 5; i++)
            {
                await transport.PublishAsync("flood", "m" + i.ToString(CultureInfo.InvariantCulture));
            }

            Assert.Equal(MemorySubscription.Capacity, sub.PendingCount);
            Assert.Equal(5, sub.DroppedCount);
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.Equal("held", await collector.NextTextAsync());
        Assert.Equal("m0", await collector.NextTextAsync());
        await sub.DisposeAsync();
    }

    [Fact]
    public async Task Subscriptions_leave_the_broker_when_disposed_alone_by_their_handler_or_with_their_transport()
    {
        string name = MemoryTestKit.NewBrokerName();
        MemoryTransport transport = new(name);
        await using MemoryTransport other = new(name);
        await using ITransportSubscription otherSub = await other.SubscribeAsync("t", new Collector());
        ITransportSubscription alone = await transport.SubscribeAsync("t", new Collector());
        await transport.SubscribeAsync("t.>", new Collector());
        TaskCompletionSource<ITransportSubscription> subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource disposedByHandler = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ITransportSubscription once = await transport.SubscribeAsync("once", null, async _ =>
        {
            await (await subscribed.Task).DisposeAsync();
            disposedByHandler.TrySetResult();
        }, CancellationToken.None);
        subscribed.SetResult(once);
        Assert.Equal(4, transport.Broker.SubscriptionCount);

        await alone.DisposeAsync();
        Assert.Equal(3, transport.Broker.SubscriptionCount);

        await transport.PublishAsync("once", "x");
        await disposedByHandler.Task.WithTimeout();
        Assert.Equal(2, transport.Broker.SubscriptionCount);

        await transport.DisposeAsync();
        Assert.Equal(1, transport.Broker.SubscriptionCount);
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured_by_publish_and_subscribe()
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        using CancellationTokenSource cts = new();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => transport.PublishAsync("c", null, ReadOnlyMemory<byte>.Empty, cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => transport.SubscribeAsync("c", null, _ => ValueTask.CompletedTask, cts.Token).AsTask());
        Assert.Equal(0, transport.Broker.SubscriptionCount);
    }

    [Theory]
    [InlineData("a.*")]
    [InlineData("a.>")]
    [InlineData(">")]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a b")]
    public async Task Invalid_publish_subjects_are_rejected(string subject)
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => transport.PublishAsync(subject, "x").AsTask());
        Assert.Equal("subject", error.ParamName);
    }

    [Theory]
    [InlineData("_INBOX.*")]
    [InlineData("_INBOX..1")]
    public async Task Invalid_reply_subjects_are_rejected(string replyTo)
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => transport.PublishAsync("a", "x", replyTo).AsTask());
        Assert.Equal("replyTo", error.ParamName);
    }

    [Theory]
    [InlineData("a.>.b", null)]
    [InlineData(">.a", null)]
    [InlineData("a.", null)]
    [InlineData("", null)]
    [InlineData("a", "")]
    [InlineData("a", "bad group")]
    public async Task Invalid_subscriptions_are_rejected(string subject, string? queueGroup)
    {
        await using MemoryTransport transport = new(MemoryTestKit.NewBrokerName());
        await Assert.ThrowsAsync<ArgumentException>(() => transport.SubscribeAsync(subject, new Collector(), queueGroup).AsTask());
        Assert.Equal(0, transport.Broker.SubscriptionCount);
    }
}
