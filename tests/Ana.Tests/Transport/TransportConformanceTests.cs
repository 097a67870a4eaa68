using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Memory;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

/// <summary>
/// What every <see cref="ITransport"/> promises the bus, written once and run on the in-process broker and on a real
/// nats-server (the two subclasses), so that neither can drift from the other. What only one transport has (the
/// broker's bounded queues, NATS logging and reconnects) is tested in <see cref="MemoryTransportTests"/> and
/// <see cref="NatsTransportTests"/>.
/// </summary>
public abstract class TransportConformanceTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    /// <summary>A new connection to the broker or server that every connection of this test class shares.</summary>
    private protected abstract Task<ITransport> OpenAsync();

    /// <summary>Returns once the server has processed everything <paramref name="transport"/> sent before it.</summary>
    private protected abstract Task FlushAsync(ITransport transport);

    [SuiteFact]
    public async Task Headers_travel_with_a_message_and_a_message_without_them_has_none()
    {
        ITransport publisher = await ConnectAsync();
        ITransport subscriber = await ConnectAsync();
        Collector collector = new();
        string subject = Unique("headers");
        await using ITransportSubscription subscription = await subscriber.SubscribeAsync(subject, collector);

        NatsHeaders headers = new() { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["tracestate"] = "k=v" };
        await publisher.PublishAsync(subject, null, headers, "with"u8.ToArray(), CancellationToken.None);
        await publisher.PublishAsync(subject, null, headers: null, "without"u8.ToArray(), CancellationToken.None);

        Received with = await collector.NextAsync();
        Assert.NotNull(with.Headers);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", with.Headers["traceparent"].ToString());
        Assert.Equal("k=v", with.Headers["tracestate"].ToString());
        Assert.Equal("with"u8.ToArray(), with.Payload);
        Received without = await collector.NextAsync();
        Assert.True(without.Headers is null || without.Headers.Count == 0);
    }

    [SuiteFact]
    public async Task A_published_message_reaches_a_subscriber_on_another_connection_whole()
    {
        ITransport publisher = await ConnectAsync();
        ITransport subscriber = await ConnectAsync();
        Collector collector = new();
        string subject = Unique("roundtrip");
        await using ITransportSubscription subscription = await subscriber.SubscribeAsync(subject, collector);
        Assert.Equal(subject, subscription.Subject);

        byte[] payload = [0, 1, 2, 3, 254, 255];
        byte[] large = new byte[200_000];
        Random.Shared.NextBytes(large);
        await publisher.PublishAsync(subject, null, payload, CancellationToken.None);
        await publisher.PublishAsync(subject, null, large, CancellationToken.None);
        await publisher.PublishAsync(subject, null, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Received first = await collector.NextAsync();
        Assert.Equal(subject, first.Subject);
        Assert.Null(first.ReplyTo);
        Assert.Equal(payload, first.Payload);
        Assert.False(first.IsNoResponders);
        Assert.Equal(large, (await collector.NextAsync()).Payload);
        Received empty = await collector.NextAsync();
        Assert.Empty(empty.Payload);
        Assert.False(empty.IsNoResponders);
    }

    [SuiteFact]
    public async Task Plain_subscriptions_each_receive_every_message_they_match()
    {
        ITransport a = await ConnectAsync();
        ITransport b = await ConnectAsync();
        string root = Unique("fan");
        Collector exact1 = new();
        Collector exact2 = new();
        Collector wildcard = new();
        Collector otherConnection = new();
        Collector unrelated = new();
        await using ITransportSubscription s1 = await a.SubscribeAsync($"{root}.out", exact1);
        await using ITransportSubscription s2 = await a.SubscribeAsync($"{root}.out", exact2);
        await using ITransportSubscription s3 = await a.SubscribeAsync($"{root}.*", wildcard);
        await using ITransportSubscription s4 = await b.SubscribeAsync($"{root}.out", otherConnection);
        await using ITransportSubscription s5 = await b.SubscribeAsync($"{root}.in", unrelated);

        await a.PublishAsync($"{root}.out", "one");
        await a.PublishAsync($"{root}.in", "marker");

        foreach (Collector collector in new[] { exact1, exact2, wildcard, otherConnection })
        {
            Assert.Equal("one", await collector.NextTextAsync());
        }

        // Delivery is in order per subscription: had "one" reached the unrelated subscription, it would come first.
        Assert.Equal("marker", await wildcard.NextTextAsync());
        Assert.Equal("marker", await unrelated.NextTextAsync());
        Assert.Equal(1, unrelated.Count);
    }

    [SuiteFact]
    public async Task Wildcards_match_one_token_or_the_rest()
    {
        ITransport transport = await ConnectAsync();
        string root = Unique("wild");
        Collector oneToken = new();
        Collector rest = new();
        await using ITransportSubscription star = await transport.SubscribeAsync($"{root}.*", oneToken);
        await using ITransportSubscription tail = await transport.SubscribeAsync($"{root}.>", rest);

        await transport.PublishAsync($"{root}.a", "1");
        await transport.PublishAsync($"{root}.a.b", "2");
        await transport.PublishAsync($"{root}.end", "3");

        // Messages from one connection reach a subscription in order: once "end" has arrived, "a.b" would have too.
        Assert.Equal($"{root}.a", (await oneToken.NextAsync()).Subject);
        Assert.Equal($"{root}.end", (await oneToken.NextAsync()).Subject);
        Assert.Equal(2, oneToken.Count);

        Assert.Equal($"{root}.a", (await rest.NextAsync()).Subject);
        Assert.Equal($"{root}.a.b", (await rest.NextAsync()).Subject);
        Assert.Equal($"{root}.end", (await rest.NextAsync()).Subject);
    }

    [SuiteFact]
    public async Task A_queue_group_delivers_each_message_to_exactly_one_member()
    {
        const int Messages = 300;
        ITransport publisher = await ConnectAsync();
        string root = Unique("queue");

        // The members use different patterns that all match "a.b.c" (queue subscriptions are grouped by name only),
        // so that each can also be reached alone by a barrier subject: "a.x.x", "x.b.x", "x.x.c".
        string[] patterns = [$"{root}.a.*.*", $"{root}.*.b.*", $"{root}.*.*.c"];
        string[] barriers = [$"{root}.a.x.x", $"{root}.x.b.x", $"{root}.x.x.c"];
        ConcurrentDictionary<string, int> seen = new();
        int[] counts = new int[patterns.Length];
        TaskCompletionSource[] barrierReached = new TaskCompletionSource[patterns.Length];
        List<ITransportSubscription> subscriptions = [];
        for (int i = 0; i < patterns.Length; i++)
        {
            int member = i;
            barrierReached[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ITransport connection = await ConnectAsync();
            subscriptions.Add(await connection.SubscribeAsync(patterns[i], "workers", message =>
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

        Collector everyone = new();
        ITransport plainConnection = await ConnectAsync();
        await using ITransportSubscription plain = await plainConnection.SubscribeAsync($"{root}.a.b.c", everyone);

        for (int i = 0; i < Messages; i++)
        {
            await publisher.PublishAsync($"{root}.a.b.c", i.ToString(CultureInfo.InvariantCulture));
        }

        foreach (string barrier in barriers)
        {
            await publisher.PublishAsync(barrier, "barrier");
        }

        // Each member handles its messages in order, so past its barrier it has handled every work message it was given.
        await Task.WhenAll(Array.ConvertAll(barrierReached, t => t.Task)).WithTimeout();

        Assert.Equal(Messages, counts.Sum());
        Assert.All(counts, count => Assert.True(count > 0, $"A member got no message: {string.Join(", ", counts)}"));
        Assert.Equal(Messages, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));

        // A plain subscription beside the group still gets every message.
        for (int i = 0; i < Messages; i++)
        {
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), await everyone.NextTextAsync());
        }

        foreach (ITransportSubscription subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    [SuiteFact]
    public async Task Distinct_queue_groups_each_get_the_message_once()
    {
        ITransport transport = await ConnectAsync();
        string root = Unique("groups");

        // Two members of g1 whose patterns both match "job.x", each also reachable alone ("job.y", "other.x").
        Collector g1a = new();
        Collector g1b = new();
        Collector g2 = new();
        await using ITransportSubscription s1 = await transport.SubscribeAsync($"{root}.job.*", g1a, "g1");
        await using ITransportSubscription s2 = await transport.SubscribeAsync($"{root}.*.x", g1b, "g1");
        await using ITransportSubscription s3 = await transport.SubscribeAsync($"{root}.job.x", g2, "g2");

        await transport.PublishAsync($"{root}.job.x", "work");
        await transport.PublishAsync($"{root}.job.y", "barrier");
        await transport.PublishAsync($"{root}.other.x", "barrier");

        Assert.Equal("work", await g2.NextTextAsync());
        List<string> a = await UntilBarrierAsync(g1a);
        List<string> b = await UntilBarrierAsync(g1b);
        Assert.Equal(1, a.Count(m => m == "work") + b.Count(m => m == "work"));
    }

    [SuiteFact]
    public async Task A_publish_nobody_receives_brings_a_no_responders_notice_to_the_reply_subject()
    {
        ITransport transport = await ConnectAsync();
        string inbox = transport.NewInboxPrefix();
        Collector replies = new();
        await using ITransportSubscription sub = await transport.SubscribeAsync($"{inbox}.>", replies);

        await transport.PublishAsync(Unique("nobody"), "anyone?", replyTo: $"{inbox}.1");

        Received notice = await replies.NextAsync();
        Assert.True(notice.IsNoResponders);
        Assert.Equal($"{inbox}.1", notice.Subject);
        Assert.Null(notice.ReplyTo);
        Assert.Empty(notice.Payload);
    }

    [SuiteFact]
    public async Task A_request_carries_its_reply_subject_and_the_reply_reaches_the_inbox_without_a_notice()
    {
        ITransport client = await ConnectAsync();
        ITransport server = await ConnectAsync();
        string subject = Unique("svc");
        Collector requests = new();
        await using ITransportSubscription service = await server.SubscribeAsync(subject, null, async message =>
        {
            await requests.Handler(message);
            await server.PublishAsync(message.ReplyTo!, null, message.Payload, CancellationToken.None);
        }, CancellationToken.None);

        string inbox = client.NewInboxPrefix();
        Collector replies = new();
        await using ITransportSubscription sub = await client.SubscribeAsync($"{inbox}.>", replies);

        await client.PublishAsync(subject, "ping", replyTo: $"{inbox}.7");

        Received request = await requests.NextAsync();
        Assert.Equal($"{inbox}.7", request.ReplyTo);
        Assert.Equal("ping", request.Text);

        Received reply = await replies.NextAsync();
        Assert.False(reply.IsNoResponders);
        Assert.Equal("ping", reply.Text);
        Assert.Equal($"{inbox}.7", reply.Subject);

        // A notice would have been sent at the request, ahead of this marker: the marker comes next, so none was.
        await client.PublishAsync($"{inbox}.marker", "marker");
        Assert.Equal("marker", await replies.NextTextAsync());
    }

    [SuiteFact]
    public async Task A_publish_after_subscribe_returns_is_delivered()
    {
        ITransport subscriber = await ConnectAsync();
        ITransport publisher = await ConnectAsync();
        string root = Unique("fresh");

        for (int i = 0; i < 50; i++)
        {
            Collector collector = new();
            await using ITransportSubscription sub = await subscriber.SubscribeAsync($"{root}.{i}", collector);
            await publisher.PublishAsync($"{root}.{i}", "hi");
            Assert.Equal("hi", await collector.NextTextAsync());
        }
    }

    [SuiteFact]
    public async Task One_subscription_receives_in_order_one_message_at_a_time()
    {
        const int Messages = 2_000;
        ITransport transport = await ConnectAsync();
        string subject = Unique("seq");
        int inFlight = 0;
        int maxInFlight = 0;
        Collector collector = new(async message =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (message.Payload.Span[^1] % 3 == 0)
            {
                await Task.Yield();
            }

            Interlocked.Decrement(ref inFlight);
        });
        await using ITransportSubscription sub = await transport.SubscribeAsync(subject, collector);

        for (int i = 0; i < Messages; i++)
        {
            await transport.PublishAsync(subject, i.ToString("D5", CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < Messages; i++)
        {
            Assert.Equal(i.ToString("D5", CultureInfo.InvariantCulture), await collector.NextTextAsync());
        }

        Assert.Equal(1, maxInFlight);
    }

    [SuiteFact]
    public async Task A_handler_that_throws_or_faults_does_not_stop_delivery()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("risky");
        Collector collector = new();
        await using ITransportSubscription sub = await transport.SubscribeAsync(subject, null, message =>
        {
            return Encoding.UTF8.GetString(message.Payload.Span) switch
            {
                "throw" => throw new InvalidOperationException("thrown before any ValueTask exists"),
                "faulted" => ValueTask.FromException(new InvalidOperationException("a faulted ValueTask")),
                "fault later" => FaultLaterAsync(),
                _ => collector.Handler(message),
            };
        }, CancellationToken.None);

        await transport.PublishAsync(subject, "throw");
        await transport.PublishAsync(subject, "faulted");
        await transport.PublishAsync(subject, "fault later");
        await transport.PublishAsync(subject, "after");

        Assert.Equal("after", await collector.NextTextAsync());
    }

    [SuiteFact]
    public async Task The_published_buffer_may_be_reused_once_the_publish_completes()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("copy");
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Collector collector = new(async _ => await gate.Task);
        await using ITransportSubscription sub = await transport.SubscribeAsync(subject, collector);

        byte[] buffer = [1, 2, 3];
        await transport.PublishAsync(subject, null, buffer, CancellationToken.None);
        buffer.AsSpan().Fill(9);
        await transport.PublishAsync(subject, null, buffer, CancellationToken.None);
        gate.TrySetResult();

        Assert.Equal([1, 2, 3], (await collector.NextAsync()).Payload);
        Assert.Equal([9, 9, 9], (await collector.NextAsync()).Payload);
    }

    [SuiteFact]
    public async Task Disposing_a_subscription_stops_delivery_to_it_and_only_to_it()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("topic");
        Collector gone = new();
        Collector stays = new();
        ITransportSubscription goneSub = await transport.SubscribeAsync(subject, gone);
        await using ITransportSubscription staysSub = await transport.SubscribeAsync(subject, stays);

        await transport.PublishAsync(subject, "before");
        Assert.Equal("before", await gone.NextTextAsync());

        await goneSub.DisposeAsync();
        await goneSub.DisposeAsync();

        await transport.PublishAsync(subject, "after");
        Assert.Equal("before", await stays.NextTextAsync());
        Assert.Equal("after", await stays.NextTextAsync());

        // Dispose awaited the handler's pump: nothing can reach the disposed subscription any more.
        Assert.Equal(1, gone.Count);
    }

    [SuiteFact]
    public async Task A_disposed_subscription_is_gone_from_the_server()
    {
        ITransport publisher = await ConnectAsync();
        ITransport subscriber = await ConnectAsync();
        string subject = Unique("unsub");

        ITransportSubscription subscription = await subscriber.SubscribeAsync(subject, null, _ => default, CancellationToken.None);
        await subscription.DisposeAsync();
        await FlushAsync(subscriber);

        // With the only subscription gone, a request brings the no-responders notice.
        Assert.True(await RequestNobodyAnswersAsync(publisher, subject));
    }

    [SuiteFact]
    public async Task Dispose_waits_for_the_current_message_and_then_nothing_is_handled()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("slow");
        TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        ITransportSubscription sub = await transport.SubscribeAsync(subject, null, async _ =>
        {
            holding.TrySetResult();
            await release.Task;
            Interlocked.Increment(ref handled);
        }, CancellationToken.None);

        for (int i = 0; i < 10; i++)
        {
            await transport.PublishAsync(subject, "x");
        }

        Task disposing;
        try
        {
            await holding.Task.WithTimeout();
            disposing = sub.DisposeAsync().AsTask();
            await FlushAsync(transport);
            Assert.False(disposing.IsCompleted, "dispose must wait for the handler");
        }
        finally
        {
            release.TrySetResult();
        }

        await disposing.WithTimeout();
        int afterDispose = Volatile.Read(ref handled);
        Assert.InRange(afterDispose, 1, 10);

        await transport.PublishAsync(subject, "late");
        await transport.DisposeAsync();
        Assert.Equal(afterDispose, Volatile.Read(ref handled));
    }

    [SuiteFact]
    public async Task A_handler_may_dispose_its_own_subscription()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("once");
        TaskCompletionSource<ITransportSubscription> subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        ITransportSubscription sub = await transport.SubscribeAsync(subject, null, async _ =>
        {
            Interlocked.Increment(ref calls);
            await (await subscribed.Task).DisposeAsync();
            disposed.TrySetResult();
        }, CancellationToken.None);
        subscribed.SetResult(sub);

        await transport.PublishAsync(subject, "1");
        await transport.PublishAsync(subject, "2");

        await disposed.Task.WithTimeout();
        await sub.DisposeAsync().AsTask().WithTimeout();
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.True(await RequestNobodyAnswersAsync(transport, subject));
    }

    [SuiteFact]
    public async Task Disposing_the_transport_ends_its_subscriptions_and_refuses_further_use()
    {
        ITransport transport = await OpenAsync();
        ITransport other = await ConnectAsync();
        string subject = Unique("t");
        Collector mine = new();
        Collector theirs = new();
        ITransportSubscription mineExact = await transport.SubscribeAsync(subject, mine);
        await transport.SubscribeAsync($"{subject}.>", mine);
        await using ITransportSubscription otherSub = await other.SubscribeAsync(subject, theirs);

        await other.PublishAsync(subject, "before");
        Assert.Equal("before", await mine.NextTextAsync());

        await transport.DisposeAsync();
        await transport.DisposeAsync();
        await mineExact.DisposeAsync();

        await other.PublishAsync(subject, "after");
        await other.PublishAsync($"{subject}.deeper", "after");
        Assert.Equal("before", await theirs.NextTextAsync());
        Assert.Equal("after", await theirs.NextTextAsync());
        Assert.Equal(1, mine.Count);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.PublishAsync(subject, "x").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.SubscribeAsync(subject, mine).AsTask());
    }

    [SuiteFact]
    public async Task Subscribing_with_a_cancelled_token_throws_and_subscribes_nothing()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("cancelled");
        using CancellationTokenSource cts = new();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => transport.SubscribeAsync(subject, null, _ => default, cts.Token).AsTask());
        await FlushAsync(transport);
        Assert.True(await RequestNobodyAnswersAsync(transport, subject));
    }

    [SuiteFact]
    public async Task Cancelling_the_subscribe_token_later_does_not_end_the_subscription()
    {
        ITransport transport = await ConnectAsync();
        string subject = Unique("token");
        Collector collector = new();
        using CancellationTokenSource cts = new();
        await using ITransportSubscription subscription = await transport.SubscribeAsync(subject, null, collector.Handler, cts.Token);
        await cts.CancelAsync();

        await transport.PublishAsync(subject, null, new byte[] { 9 }, CancellationToken.None);
        Assert.Equal([9], (await collector.NextAsync()).Payload);
    }

    [SuiteFact]
    public async Task Inbox_prefixes_are_unique_valid_subjects_under_the_inbox_prefix()
    {
        ITransport transport = await ConnectAsync();
        HashSet<string> prefixes = [];
        for (int i = 0; i < 1_000; i++)
        {
            string prefix = transport.NewInboxPrefix();
            Assert.StartsWith("_INBOX.", prefix, StringComparison.Ordinal);
            Assert.True(prefix.Length >= "_INBOX.".Length + 16, prefix);
            SubjectMatcher.ValidatePublishSubject(prefix + ".x", "prefix");
            Assert.True(prefixes.Add(prefix), $"Duplicate inbox prefix {prefix}");
        }
    }

    private protected async Task<ITransport> ConnectAsync()
    {
        ITransport transport = await OpenAsync();
        _cleanup.Add(transport);
        return transport;
    }

    private static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    /// <summary>Whether a request on <paramref name="subject"/> brings the no-responders notice.</summary>
    private static async Task<bool> RequestNobodyAnswersAsync(ITransport transport, string subject)
    {
        string inbox = transport.NewInboxPrefix();
        Collector replies = new();
        await using ITransportSubscription sub = await transport.SubscribeAsync($"{inbox}.>", replies);
        await transport.PublishAsync(subject, "anyone?", replyTo: $"{inbox}.1");
        return (await replies.NextAsync()).IsNoResponders;
    }

    private static async Task<List<string>> UntilBarrierAsync(Collector collector)
    {
        List<string> received = [];
        do
        {
            received.Add(await collector.NextTextAsync());
        }
        while (received[^1] != "barrier");

        return received;
    }

    private static async ValueTask FaultLaterAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("asynchronous failure");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
