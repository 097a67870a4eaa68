using System.Collections.Concurrent;
using System.Text;
using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

public class MemoryTransportTests
{
    [ThreadStatic]
    private static bool t_insidePublish;

    [Fact]
    public async Task SameNameSharesOneBroker()
    {
        var name = MemoryTestKit.NewBrokerName();
        await using var a = new MemoryTransport(name);
        await using var b = new MemoryTransport(name);
        Assert.Same(a.Broker, b.Broker);
        Assert.Same(a.Broker, MemoryBroker.Get(name));

        var collector = new Collector();
        await using var sub = await b.SubscribeAsync("greet", collector);
        await a.PublishAsync("greet", "hello");

        var message = await collector.NextAsync();
        Assert.Equal("greet", message.Subject);
        Assert.Equal("hello", message.Text);
        Assert.Null(message.ReplyTo);
        Assert.False(message.IsNoResponders);
    }

    [Fact]
    public async Task BrokersWithDifferentNamesAreIsolated()
    {
        await using var x = new MemoryTransport(MemoryTestKit.NewBrokerName());
        await using var y = new MemoryTransport(MemoryTestKit.NewBrokerName());
        Assert.NotSame(x.Broker, y.Broker);

        var onY = new Collector();
        await using var sub = await y.SubscribeAsync(">", onY);

        await x.PublishAsync("iso.lated", "from x");
        await y.PublishAsync("iso.marker", "from y");

        // Delivery is in order per subscription: had the first publish leaked, it would come first.
        Assert.Equal("from y", await onY.NextTextAsync());
        Assert.Equal(1, onY.Count);
    }

    [Fact]
    public async Task PlainSubscriptionsEachReceiveEveryMessage()
    {
        var name = MemoryTestKit.NewBrokerName();
        await using var a = new MemoryTransport(name);
        await using var b = new MemoryTransport(name);

        var exact1 = new Collector();
        var exact2 = new Collector();
        var wildcard = new Collector();
        var otherConnection = new Collector();
        var unrelated = new Collector();
        await using var s1 = await a.SubscribeAsync("fan.out", exact1);
        await using var s2 = await a.SubscribeAsync("fan.out", exact2);
        await using var s3 = await a.SubscribeAsync("fan.*", wildcard);
        await using var s4 = await b.SubscribeAsync("fan.out", otherConnection);
        await using var s5 = await b.SubscribeAsync("fan.in", unrelated);

        await a.PublishAsync("fan.out", "one");
        await a.PublishAsync("fan.in", "marker");

        foreach (var collector in new[] { exact1, exact2, wildcard, otherConnection })
        {
            Assert.Equal("one", await collector.NextTextAsync());
        }

        Assert.Equal("marker", await wildcard.NextTextAsync());
        Assert.Equal("marker", await unrelated.NextTextAsync());
        Assert.Equal(1, unrelated.Count);
    }

    [Fact]
    public async Task QueueGroupDeliversEachMessageToExactlyOneMember()
    {
        const int Messages = 300;
        var name = MemoryTestKit.NewBrokerName();
        await using var publisher = new MemoryTransport(name);
        await using var workers = new MemoryTransport(name);

        // The members use different patterns that all match "a.b.c" (NATS groups queue subscriptions by name only),
        // so that each can also be reached alone by a barrier subject: "a.x.x", "x.b.x", "x.x.c".
        string[] patterns = ["a.*.*", "*.b.*", "*.*.c"];
        string[] barriers = ["a.x.x", "x.b.x", "x.x.c"];
        var seen = new ConcurrentDictionary<string, int>();
        var counts = new int[patterns.Length];
        var barrierReached = new TaskCompletionSource[patterns.Length];
        var subscriptions = new List<ITransportSubscription>();
        for (int i = 0; i < patterns.Length; i++)
        {
            int member = i;
            barrierReached[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            subscriptions.Add(await workers.SubscribeAsync(patterns[i], "workers", message =>
            {
                if (message.Subject == barriers[member])
                {
                    barrierReached[member].TrySetResult();
                }
                else
                {
                    seen.AddOrUpdate(Encoding.UTF8.GetString(message.Payload.Span), 1, static (_, n) => n + 1);
                    Interlocked.Increment(ref counts[member]);
                }

                return ValueTask.CompletedTask;
            }, CancellationToken.None));
        }

        var everyone = new Collector();
        await using var plain = await workers.SubscribeAsync("a.b.c", everyone);

        for (int i = 0; i < Messages; i++)
        {
            await publisher.PublishAsync("a.b.c", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < barriers.Length; i++)
        {
            await publisher.PublishAsync(barriers[i], "barrier");
        }

        // Each member handles its queue in order, so past its barrier it has handled every work message it was given.
        await Task.WhenAll(Array.ConvertAll(barrierReached, t => t.Task)).WithTimeout();

        Assert.Equal(Messages, counts.Sum());
        Assert.All(counts, count => Assert.True(count > 0, $"A member got no message: {string.Join(", ", counts)}"));
        Assert.Equal(Messages, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));

        for (int i = 0; i < Messages; i++)
        {
            await everyone.NextAsync();
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    [Fact]
    public async Task DistinctQueueGroupsEachGetTheMessageOnce()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());

        // Two members of g1 whose patterns both match "job.x", each also reachable alone ("job.y", "other.x").
        var g1a = new Collector();
        var g1b = new Collector();
        var g2 = new Collector();
        await using var s1 = await transport.SubscribeAsync("job.*", g1a, "g1");
        await using var s2 = await transport.SubscribeAsync("*.x", g1b, "g1");
        await using var s3 = await transport.SubscribeAsync("job.x", g2, "g2");

        await transport.PublishAsync("job.x", "work");
        await transport.PublishAsync("job.y", "barrier");
        await transport.PublishAsync("other.x", "barrier");

        Assert.Equal("work", await g2.NextTextAsync());
        var a = new List<string> { await g1a.NextTextAsync() };
        if (a[0] != "barrier")
        {
            a.Add(await g1a.NextTextAsync());
        }

        var b = new List<string> { await g1b.NextTextAsync() };
        if (b[0] != "barrier")
        {
            b.Add(await g1b.NextTextAsync());
        }

        Assert.Equal(1, a.Count(m => m == "work") + b.Count(m => m == "work"));
        Assert.Equal("barrier", a[^1]);
        Assert.Equal("barrier", b[^1]);
    }

    [Fact]
    public async Task NoRespondersNoticeGoesToTheReplySubject()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var inbox = transport.NewInboxPrefix();
        var replies = new Collector();
        await using var sub = await transport.SubscribeAsync(inbox + ".>", replies);

        await transport.PublishAsync("nobody.home", "anyone?", replyTo: inbox + ".1");

        var notice = await replies.NextAsync();
        Assert.True(notice.IsNoResponders);
        Assert.Equal(inbox + ".1", notice.Subject);
        Assert.Null(notice.ReplyTo);
        Assert.Empty(notice.Payload);
    }

    [Fact]
    public async Task RequestWithAResponderGetsTheReplyAndNoNotice()
    {
        var name = MemoryTestKit.NewBrokerName();
        await using var client = new MemoryTransport(name);
        await using var server = new MemoryTransport(name);

        await using var service = await server.SubscribeAsync("svc.echo", null, async message =>
        {
            await server.PublishAsync(message.ReplyTo!, null, message.Payload, CancellationToken.None);
        }, CancellationToken.None);

        var inbox = client.NewInboxPrefix();
        var replies = new Collector();
        await using var sub = await client.SubscribeAsync(inbox + ".>", replies);

        await client.PublishAsync("svc.echo", "ping", replyTo: inbox + ".7");

        var reply = await replies.NextAsync();
        Assert.False(reply.IsNoResponders);
        Assert.Equal("ping", reply.Text);
        Assert.Equal(inbox + ".7", reply.Subject);

        // Had a notice been sent as well it would be queued behind the reply; flush with a marker.
        await client.PublishAsync(inbox + ".marker", "marker");
        Assert.Equal("marker", await replies.NextTextAsync());
    }

    [Fact]
    public async Task PublishCarriesTheReplySubject()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var collector = new Collector();
        await using var sub = await transport.SubscribeAsync("ask", collector);

        await transport.PublishAsync("ask", "q", replyTo: "_INBOX.abc.1");

        var message = await collector.NextAsync();
        Assert.Equal("_INBOX.abc.1", message.ReplyTo);
    }

    [Fact]
    public async Task APublishAfterSubscribeReturnsIsDelivered()
    {
        var name = MemoryTestKit.NewBrokerName();
        await using var subscriber = new MemoryTransport(name);
        await using var publisher = new MemoryTransport(name);

        for (int i = 0; i < 50; i++)
        {
            var collector = new Collector();
            await using var sub = await subscriber.SubscribeAsync("fresh." + i, collector);
            await publisher.PublishAsync("fresh." + i, "hi");
            Assert.Equal("hi", await collector.NextTextAsync());
        }
    }

    [Fact]
    public async Task OneSubscriptionReceivesInOrderOneAtATime()
    {
        const int Messages = 2_000;
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        int inFlight = 0;
        int maxInFlight = 0;
        var collector = new Collector(async message =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (message.Payload.Span[^1] % 3 == 0)
            {
                await Task.Yield();
            }

            Interlocked.Decrement(ref inFlight);
        });
        await using var sub = await transport.SubscribeAsync("seq", collector);

        for (int i = 0; i < Messages; i++)
        {
            await transport.PublishAsync("seq", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < Messages; i++)
        {
            Assert.Equal(i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), await collector.NextTextAsync());
        }

        Assert.Equal(1, maxInFlight);
    }

    [Fact]
    public async Task AThrowingHandlerDoesNotStopThePump()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var collector = new Collector(async message =>
        {
            var text = Encoding.UTF8.GetString(message.Payload.Span);
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
        var sub = (MemorySubscription)await transport.SubscribeAsync("risky", collector);

        await transport.PublishAsync("risky", "throw");
        await transport.PublishAsync("risky", "fault");
        await transport.PublishAsync("risky", "after");

        Assert.Equal("after", await collector.NextTextAsync());
        Assert.Equal(2, sub.HandlerFailureCount);
        await sub.DisposeAsync();
    }

    [Fact]
    public async Task ASynchronouslyThrowingDelegateDoesNotStopThePump()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sub = await transport.SubscribeAsync("risky", null, message =>
        {
            var text = Encoding.UTF8.GetString(message.Payload.Span);
            if (text == "throw")
            {
                throw new InvalidOperationException("thrown before any ValueTask exists");
            }

            got.TrySetResult(text);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await transport.PublishAsync("risky", "throw");
        await transport.PublishAsync("risky", "after");

        Assert.Equal("after", await got.Task.WithTimeout());
    }

    [Fact]
    public async Task HandlersAreNeverInvokedInsidePublish()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        int invokedInside = 0;
        var collector = new Collector(_ =>
        {
            if (t_insidePublish)
            {
                Interlocked.Increment(ref invokedInside);
            }

            return ValueTask.CompletedTask;
        });
        await using var sub = await transport.SubscribeAsync("sync", collector);

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
    public async Task ThePayloadIsCopiedAtPublish()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = new Collector(async _ => await gate.Task);
        await using var sub = await transport.SubscribeAsync("copy", collector);

        byte[] buffer = [1, 2, 3];
        await transport.PublishAsync("copy", null, buffer, CancellationToken.None);
        buffer.AsSpan().Fill(9);
        gate.TrySetResult();

        Assert.Equal(new byte[] { 1, 2, 3 }, (await collector.NextAsync()).Payload);
    }

    [Fact]
    public async Task AFullQueueDropsTheNewestWithoutBlocking()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = new Collector(async _ =>
        {
            holding.TrySetResult();
            await release.Task;
        });
        var sub = (MemorySubscription)await transport.SubscribeAsync("flood", collector);
        try
        {
            await transport.PublishAsync("flood", "held");
            await holding.Task.WithTimeout();

            for (int i = 0; i < MemorySubscription.Capacity + 5; i++)
            {
                await transport.PublishAsync("flood", "m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
    public async Task DisposingASubscriptionStopsDelivery()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var gone = new Collector();
        var stays = new Collector();
        var goneSub = await transport.SubscribeAsync("topic", gone);
        await using var staysSub = await transport.SubscribeAsync("topic", stays);
        Assert.Equal(2, transport.Broker.SubscriptionCount);

        await transport.PublishAsync("topic", "before");
        Assert.Equal("before", await gone.NextTextAsync());

        await goneSub.DisposeAsync();
        await goneSub.DisposeAsync();
        Assert.Equal(1, transport.Broker.SubscriptionCount);

        await transport.PublishAsync("topic", "after");
        Assert.Equal("before", await stays.NextTextAsync());
        Assert.Equal("after", await stays.NextTextAsync());

        // The disposed subscription's pump has ended, so nothing can reach it any more.
        Assert.Equal(1, gone.Count);
    }

    [Fact]
    public async Task DisposeWaitsForTheCurrentMessageAndThenNothingIsHandled()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        var sub = await transport.SubscribeAsync("slow", null, async _ =>
        {
            holding.TrySetResult();
            await release.Task;
            Interlocked.Increment(ref handled);
        }, CancellationToken.None);

        for (int i = 0; i < 10; i++)
        {
            await transport.PublishAsync("slow", "x");
        }

        Task disposing;
        try
        {
            await holding.Task.WithTimeout();
            disposing = sub.DisposeAsync().AsTask();
            Assert.False(disposing.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }

        await disposing.WithTimeout();
        int afterDispose = Volatile.Read(ref handled);
        Assert.InRange(afterDispose, 1, 10);

        await transport.PublishAsync("slow", "late");
        await transport.DisposeAsync();
        Assert.Equal(afterDispose, Volatile.Read(ref handled));
    }

    [Fact]
    public async Task AHandlerMayDisposeItsOwnSubscription()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var subscribed = new TaskCompletionSource<ITransportSubscription>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sub = await transport.SubscribeAsync("once", null, async _ =>
        {
            await (await subscribed.Task).DisposeAsync();
            disposed.TrySetResult();
        }, CancellationToken.None);
        subscribed.SetResult(sub);

        await transport.PublishAsync("once", "x");

        await disposed.Task.WithTimeout();
        Assert.Equal(0, transport.Broker.SubscriptionCount);
        await sub.DisposeAsync().AsTask().WithTimeout();
    }

    [Fact]
    public async Task DisposingTheTransportDisposesItsSubscriptionsAndRejectsFurtherUse()
    {
        var name = MemoryTestKit.NewBrokerName();
        var transport = new MemoryTransport(name);
        await using var other = new MemoryTransport(name);
        var mine = new Collector();
        var theirs = new Collector();
        await transport.SubscribeAsync("t", mine);
        await transport.SubscribeAsync("t.>", mine);
        await using var otherSub = await other.SubscribeAsync("t", theirs);
        Assert.Equal(3, transport.Broker.SubscriptionCount);

        await transport.DisposeAsync();
        await transport.DisposeAsync();
        Assert.Equal(1, transport.Broker.SubscriptionCount);

        await other.PublishAsync("t", "after");
        Assert.Equal("after", await theirs.NextTextAsync());
        Assert.Equal(0, mine.Count);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.PublishAsync("t", "x").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.SubscribeAsync("t", mine).AsTask());
    }

    [Fact]
    public async Task ACancelledTokenIsHonoured()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

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
    public async Task InvalidPublishSubjectsAreRejected(string subject)
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => transport.PublishAsync(subject, "x").AsTask());
        Assert.Equal("subject", error.ParamName);
    }

    [Theory]
    [InlineData("_INBOX.*")]
    [InlineData("_INBOX..1")]
    public async Task InvalidReplySubjectsAreRejected(string replyTo)
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => transport.PublishAsync("a", "x", replyTo).AsTask());
        Assert.Equal("replyTo", error.ParamName);
    }

    [Theory]
    [InlineData("a.>.b", null)]
    [InlineData(">.a", null)]
    [InlineData("a.", null)]
    [InlineData("", null)]
    [InlineData("a", "")]
    [InlineData("a", "bad group")]
    public async Task InvalidSubscriptionsAreRejected(string subject, string? queueGroup)
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        await Assert.ThrowsAsync<ArgumentException>(() => transport.SubscribeAsync(subject, new Collector(), queueGroup).AsTask());
        Assert.Equal(0, transport.Broker.SubscriptionCount);
    }

    [Fact]
    public async Task InboxPrefixesAreUniqueValidSubjects()
    {
        await using var transport = new MemoryTransport(MemoryTestKit.NewBrokerName());
        var prefixes = new HashSet<string>();
        for (int i = 0; i < 1_000; i++)
        {
            var prefix = transport.NewInboxPrefix();
            Assert.StartsWith("_INBOX.", prefix, StringComparison.Ordinal);
            Assert.True(prefix.Length >= "_INBOX.".Length + 16, prefix);
            SubjectMatcher.ValidatePublishSubject(prefix + ".x", "prefix");
            Assert.True(prefixes.Add(prefix), $"Duplicate inbox prefix {prefix}");
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
