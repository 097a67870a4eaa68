using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

internal static class NatsTestSupport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    public static async Task<NatsTransport> ConnectAsync(string url, ILogger? logger = null, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings { Url = url, Name = "ana-tests" });
        if (configure is not null)
        {
            opts = configure(opts);
        }

        using var cts = new CancellationTokenSource(Timeout);
        return await NatsTransport.ConnectAsync(opts, logger ?? new RecordingLogger(), cts.Token);
    }
}

[Collection("nats")]
public sealed class NatsTransportTests(NatsServerFixture fixture)
{
    private static readonly TimeSpan Timeout = NatsTestSupport.Timeout;

    private static CancellationToken Token => new CancellationTokenSource(Timeout).Token;

    private Task<NatsTransport> ConnectAsync(ILogger? logger = null, Func<NatsOpts, NatsOpts>? configure = null)
        => NatsTestSupport.ConnectAsync(fixture.Url, logger, configure);

    [NatsFact]
    public async Task Published_message_reaches_a_subscriber_on_another_connection()
    {
        await using var publisher = await ConnectAsync();
        await using var subscriber = await ConnectAsync();
        var collector = new Collector();
        var subject = NatsTestSupport.Unique("roundtrip");

        await using var subscription = await subscriber.SubscribeAsync(subject, null, collector.Handler, Token);
        Assert.Equal(subject, subscription.Subject);

        byte[] payload = [0, 1, 2, 3, 254, 255];
        await publisher.PublishAsync(subject, null, payload, Token);
        var large = new byte[200_000];
        Random.Shared.NextBytes(large);
        await publisher.PublishAsync(subject, null, large, Token);
        await publisher.PublishAsync(subject, null, ReadOnlyMemory<byte>.Empty, Token);

        var first = await collector.NextAsync();
        Assert.Equal(subject, first.Subject);
        Assert.Null(first.ReplyTo);
        Assert.Equal(payload, first.Payload);
        Assert.False(first.IsNoResponders);

        var second = await collector.NextAsync();
        Assert.Equal(large, second.Payload);

        var empty = await collector.NextAsync();
        Assert.Empty(empty.Payload);
        Assert.False(empty.IsNoResponders);
    }

    [NatsFact]
    public async Task Publish_buffer_can_be_reused_once_the_publish_completes()
    {
        await using var transport = await ConnectAsync();
        var collector = new Collector();
        var subject = NatsTestSupport.Unique("reuse");
        await using var subscription = await transport.SubscribeAsync(subject, null, collector.Handler, Token);

        var buffer = new byte[] { 1, 1, 1 };
        await transport.PublishAsync(subject, null, buffer, Token);
        buffer.AsSpan().Fill(2);
        await transport.PublishAsync(subject, null, buffer, Token);

        Assert.Equal([1, 1, 1], (await collector.NextAsync()).Payload);
        Assert.Equal([2, 2, 2], (await collector.NextAsync()).Payload);
    }

    [NatsFact]
    public async Task Wildcard_subscriptions_match_one_token_or_the_rest()
    {
        await using var transport = await ConnectAsync();
        var root = NatsTestSupport.Unique("wild");
        var oneToken = new Collector();
        var rest = new Collector();
        await using var star = await transport.SubscribeAsync($"{root}.*", null, oneToken.Handler, Token);
        await using var tail = await transport.SubscribeAsync($"{root}.>", null, rest.Handler, Token);

        await transport.PublishAsync($"{root}.a", null, "1"u8.ToArray(), Token);
        await transport.PublishAsync($"{root}.a.b", null, "2"u8.ToArray(), Token);
        await transport.PublishAsync($"{root}.end", null, "3"u8.ToArray(), Token);

        // Messages from one connection reach a subscription in order: once "end" has arrived, "a.b" would have too.
        Assert.Equal($"{root}.a", (await oneToken.NextAsync()).Subject);
        Assert.Equal($"{root}.end", (await oneToken.NextAsync()).Subject);
        Assert.Equal(2, oneToken.Count);

        Assert.Equal($"{root}.a", (await rest.NextAsync()).Subject);
        Assert.Equal($"{root}.a.b", (await rest.NextAsync()).Subject);
        Assert.Equal($"{root}.end", (await rest.NextAsync()).Subject);
    }

    [NatsFact]
    public async Task Queue_group_delivers_each_message_to_exactly_one_member()
    {
        const int Messages = 300;
        await using var publisher = await ConnectAsync();
        var subject = NatsTestSupport.Unique("queue");
        var members = new List<NatsTransport>();
        var subscriptions = new List<ITransportSubscription>();
        var seen = new ConcurrentDictionary<int, int>();
        var perMember = new int[3];
        var total = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var member = i;
                var transport = await ConnectAsync();
                members.Add(transport);
                subscriptions.Add(await transport.SubscribeAsync(subject, "workers", message =>
                {
                    seen.AddOrUpdate(BitConverter.ToInt32(message.Payload.Span), 1, (_, n) => n + 1);
                    Interlocked.Increment(ref perMember[member]);
                    if (Interlocked.Increment(ref total) == Messages)
                    {
                        all.TrySetResult();
                    }

                    return default;
                }, Token));
            }

            for (var i = 0; i < Messages; i++)
            {
                await publisher.PublishAsync(subject, null, BitConverter.GetBytes(i), Token);
            }

            await all.Task.WaitAsync(Timeout);

            // Every member has read everything the server sent it before its PONG.
            await publisher.Connection.PingAsync(Token);
            foreach (var member in members)
            {
                await member.Connection.PingAsync(Token);
            }

            Assert.Equal(Messages, seen.Count);
            Assert.All(seen.Values, n => Assert.Equal(1, n));
            Assert.Equal(Messages, Volatile.Read(ref total));
            Assert.All(perMember, n => Assert.True(n > 0, "each member should get a share"));
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }

            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [NatsFact]
    public async Task Reply_subject_is_carried_and_a_reply_reaches_the_inbox()
    {
        await using var requester = await ConnectAsync();
        await using var responder = await ConnectAsync();
        var subject = NatsTestSupport.Unique("service");
        var inbox = requester.NewInboxPrefix();
        var replies = new Collector();
        var requests = new Collector();

        await using var inboxSub = await requester.SubscribeAsync($"{inbox}.>", null, replies.Handler, Token);
        await using var service = await responder.SubscribeAsync(subject, null, async message =>
        {
            await requests.Handler(message);
            await responder.PublishAsync(message.ReplyTo!, null, "pong"u8.ToArray(), CancellationToken.None);
        }, Token);

        await requester.PublishAsync(subject, $"{inbox}.42", "ping"u8.ToArray(), Token);

        var request = await requests.NextAsync();
        Assert.Equal($"{inbox}.42", request.ReplyTo);
        Assert.Equal("ping"u8.ToArray(), request.Payload);

        var reply = await replies.NextAsync();
        Assert.Equal($"{inbox}.42", reply.Subject);
        Assert.Equal("pong"u8.ToArray(), reply.Payload);
        Assert.False(reply.IsNoResponders);
    }

    [NatsFact]
    public async Task Publish_nobody_receives_brings_a_no_responders_notice_to_the_reply_subject()
    {
        await using var transport = await ConnectAsync();
        var inbox = transport.NewInboxPrefix();
        var replies = new Collector();
        await using var inboxSub = await transport.SubscribeAsync($"{inbox}.>", null, replies.Handler, Token);

        await transport.PublishAsync(NatsTestSupport.Unique("nobody"), $"{inbox}.7", "hello?"u8.ToArray(), Token);

        var notice = await replies.NextAsync();
        Assert.True(notice.IsNoResponders);
        Assert.Equal($"{inbox}.7", notice.Subject);
        Assert.Null(notice.ReplyTo);
        Assert.Empty(notice.Payload);
    }

    [NatsFact]
    public async Task Inbox_prefixes_are_unique_and_under_the_inbox_prefix()
    {
        await using var transport = await ConnectAsync();
        var prefixes = Enumerable.Range(0, 1000).Select(_ => transport.NewInboxPrefix()).ToList();
        Assert.Equal(prefixes.Count, prefixes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(prefixes, p => Assert.StartsWith("_INBOX.", p, StringComparison.Ordinal));
        Assert.All(prefixes, p => Assert.DoesNotContain(p, c => c is '*' or '>' or ' '));
    }

    [NatsFact]
    public async Task A_throwing_handler_is_logged_and_the_subscription_keeps_delivering()
    {
        var logger = new RecordingLogger();
        await using var transport = await ConnectAsync(logger);
        var subject = NatsTestSupport.Unique("throws");
        var collector = new Collector();
        await using var subscription = await transport.SubscribeAsync(subject, null, message =>
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
        var error = await logger.WaitForAsync(e => e.Exception?.Message == "boom", Timeout);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(subject, error.Message, StringComparison.Ordinal);
        var asyncError = await logger.WaitForAsync(e => e.Exception?.Message == "async boom", Timeout);
        Assert.Equal(LogLevel.Error, asyncError.Level);
    }

    [NatsFact]
    public async Task Disposing_a_subscription_stops_delivery()
    {
        await using var transport = await ConnectAsync();
        var subject = NatsTestSupport.Unique("dispose");
        var disposed = new Collector();
        var live = new Collector();
        var subscription = await transport.SubscribeAsync(subject, null, disposed.Handler, Token);
        await using var witness = await transport.SubscribeAsync(subject, null, live.Handler, Token);

        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await disposed.NextAsync();
        await live.NextAsync();

        await subscription.DisposeAsync();
        await subscription.DisposeAsync(); // idempotent

        await transport.PublishAsync(subject, null, new byte[] { 2 }, Token);
        Assert.Equal([2], (await live.NextAsync()).Payload);

        // Dispose awaited the pump: the handler cannot be called again.
        Assert.Equal(1, disposed.Count);
    }

    [NatsFact]
    public async Task Disposing_a_subscription_unsubscribes_at_the_server()
    {
        await using var publisher = await ConnectAsync();
        await using var subscriber = await ConnectAsync();
        var subject = NatsTestSupport.Unique("unsub");
        var inbox = publisher.NewInboxPrefix();
        var replies = new Collector();
        await using var inboxSub = await publisher.SubscribeAsync($"{inbox}.>", null, replies.Handler, Token);

        var subscription = await subscriber.SubscribeAsync(subject, null, _ => default, Token);
        await subscription.DisposeAsync();
        await subscriber.Connection.PingAsync(Token); // the UNSUB has been processed

        // With the only subscription gone, the server answers a request with no-responders.
        await publisher.PublishAsync(subject, $"{inbox}.1", new byte[] { 1 }, Token);
        Assert.True((await replies.NextAsync()).IsNoResponders);
    }

    [NatsFact]
    public async Task Dispose_waits_for_the_handler_to_finish_the_current_message()
    {
        await using var transport = await ConnectAsync();
        var subject = NatsTestSupport.Unique("inflight");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = 0;
        var subscription = await transport.SubscribeAsync(subject, null, async _ =>
        {
            entered.TrySetResult();
            await release.Task;
            Interlocked.Increment(ref finished);
        }, Token);

        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await entered.Task.WaitAsync(Timeout);

        var dispose = subscription.DisposeAsync().AsTask();
        await transport.Connection.PingAsync(Token); // dispose has had time to unsubscribe
        Assert.False(dispose.IsCompleted, "dispose must wait for the handler");

        release.SetResult();
        await dispose.WaitAsync(Timeout);
        Assert.Equal(1, Volatile.Read(ref finished));
    }

    [NatsFact]
    public async Task A_handler_can_dispose_its_own_subscription()
    {
        await using var transport = await ConnectAsync();
        var subject = NatsTestSupport.Unique("self");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ITransportSubscription? subscription = null;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscription = await transport.SubscribeAsync(subject, null, async _ =>
        {
            Interlocked.Increment(ref calls);
            await ready.Task;
            await subscription!.DisposeAsync();
            done.TrySetResult();
        }, Token);
        ready.SetResult();

        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await transport.PublishAsync(subject, null, new byte[] { 2 }, Token);
        await done.Task.WaitAsync(Timeout);
        await subscription.DisposeAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [NatsFact]
    public async Task Disposing_the_transport_disposes_its_subscriptions()
    {
        var transport = await ConnectAsync();
        var subject = NatsTestSupport.Unique("transport-dispose");
        var collector = new Collector();
        var subscription = await transport.SubscribeAsync(subject, null, collector.Handler, Token);
        await transport.PublishAsync(subject, null, new byte[] { 1 }, Token);
        await collector.NextAsync();

        await transport.DisposeAsync();
        await subscription.DisposeAsync(); // already disposed: a no-op

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await transport.PublishAsync(subject, null, new byte[] { 2 }, Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await transport.SubscribeAsync(subject, null, collector.Handler, Token));
        Assert.Equal(1, collector.Count);
    }

    [NatsFact]
    public async Task Subscribing_with_a_cancelled_token_throws()
    {
        await using var transport = await ConnectAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await transport.SubscribeAsync(NatsTestSupport.Unique("cancelled"), null, _ => default, cts.Token));
    }

    [NatsFact]
    public async Task Cancelling_the_subscribe_token_later_does_not_end_the_subscription()
    {
        await using var transport = await ConnectAsync();
        var subject = NatsTestSupport.Unique("token");
        var collector = new Collector();
        using var cts = new CancellationTokenSource();
        await using var subscription = await transport.SubscribeAsync(subject, null, collector.Handler, cts.Token);
        await cts.CancelAsync();

        await transport.PublishAsync(subject, null, new byte[] { 9 }, Token);
        Assert.Equal([9], (await collector.NextAsync()).Payload);
    }

    [NatsFact]
    public async Task Dropped_messages_are_counted_and_logged_as_warnings()
    {
        var logger = new RecordingLogger();
        await using var transport = await ConnectAsync(logger, o => o with { SubPendingChannelCapacity = 4 });
        var subject = NatsTestSupport.Unique("slow");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await transport.SubscribeAsync(subject, null, async _ => await release.Task, Token);

        for (var i = 0; i < 50; i++)
        {
            await transport.PublishAsync(subject, null, new byte[] { (byte)i }, Token);
        }

        var dropped = await logger.WaitForAsync(e => e.EventId.Id == 5, Timeout);
        Assert.Equal(LogLevel.Warning, dropped.Level);
        Assert.Contains(subject, dropped.Message, StringComparison.Ordinal);
        var slow = await logger.WaitForAsync(e => e.EventId.Id == 6, Timeout);
        Assert.Equal(LogLevel.Warning, slow.Level);
        Assert.True(transport.DroppedMessages > 0);
        Assert.True(transport.SlowConsumerEvents > 0);
        release.SetResult();
    }

    [NatsFact]
    public async Task Connection_opened_is_logged_at_information()
    {
        var logger = new RecordingLogger();
        await using var transport = await ConnectAsync(logger);
        var opened = await logger.WaitForAsync(e => e.EventId.Id == 1, Timeout);
        Assert.Equal(LogLevel.Information, opened.Level);
    }
}

/// <summary>Connection failures: no server needed (these only use 127.0.0.1 ports of their own).</summary>
public sealed class NatsTransportConnectTests
{
    [NatsFact]
    public async Task Connecting_where_nothing_listens_fails_fast_with_a_clear_exception()
    {
        var port = FreePort();
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings { Url = $"nats://127.0.0.1:{port}" });
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Could not connect to NATS", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [NatsFact]
    public async Task A_server_that_never_speaks_fails_within_the_connect_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        });
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [NatsFact]
    public async Task Connecting_respects_the_cancellation_token()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromSeconds(60),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), cts.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

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
