using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport.Memory;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Tests.Reliability;

/// <summary>
/// A stream of hostile payloads on a served query subject and on a caller's reply subject: nothing crashes, every
/// message is either parsed or counted as malformed, and a valid call made right after still succeeds.
/// </summary>
public abstract class FuzzTests
{
    private const int Messages = 100_000;
    private const int Seed = 20261125;

    protected abstract string Url { get; }

    protected abstract Task<IAsyncDisposable> ConnectRawAsync();

    protected abstract Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload, string? replyTo = null);

    /// <summary>Subscribes <paramref name="connection"/> to <paramref name="subject"/> and returns the reply-to of the first message.</summary>
    protected abstract Task<IAsyncDisposable> CaptureReplyToAsync(IAsyncDisposable connection, string subject, TaskCompletionSource<string> replyTo);

    [SuiteFact]
    public async Task A_hundred_thousand_fuzzed_messages_neither_crash_nor_stop_serving()
    {
        AgentBusOptions options = new() { Url = Url, Prefix = "fuzz" };
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await using AgentSubscription serving = await bob.SubscribeToMeAsync((envelope, context) =>
            envelope is Query query ? context.ReplyAsync(JsonSerializer.SerializeToElement(query.Text, TestJson.Default.String)) : default);
        // alice keeps listening on bob's reply subject after the warm-up call, for the whole run.
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", options with { ReplySubjectLinger = TimeSpan.FromHours(1) });
        Assert.NotNull(await alice.QueryAndWaitAsync("bob", "warm up", "status", TimeSpan.FromSeconds(30)));
        await using IAsyncDisposable raw = await ConnectRawAsync();

        FuzzedInput fuzz = new(Seed);
        long toBob = 0, toAlice = 0, refused = 0;
        long bobBefore = Seen(bob), aliceBefore = Seen(alice);
        for (int i = 0; i < Messages; i++)
        {
            byte[] payload = fuzz.Next();
            bool forBob = i % 2 == 0;
            try
            {
                await PublishRawAsync(raw, forBob ? "fuzz.bob.query.status" : "fuzz.bob.reply.status", payload);
                _ = forBob ? toBob++ : toAlice++;
            }
            catch (NatsPayloadTooLargeException)
            {
                refused++;
            }

            if (i % 2_000 == 1_999)
            {
                await CatchUpAsync(bob, bobBefore + toBob, alice, aliceBefore + toAlice, i, Seed);
            }
        }

        await CatchUpAsync(bob, bobBefore + toBob, alice, aliceBefore + toAlice, Messages, Seed);

        Reply? reply = await alice.QueryAndWaitAsync("bob", "still serving?", "status", TimeSpan.FromSeconds(30));
        Assert.Equal("still serving?", reply?.Data?.GetString());
        Assert.True(bob.Statistics.Malformed > toBob / 2, $"bob counted {bob.Statistics.Malformed} malformed of {toBob}");
        Assert.True(alice.Statistics.Malformed + alice.Statistics.UnmatchedReplies >= toAlice, "every fuzzed reply was dropped and counted");
        Assert.Equal(0, bob.Statistics.HandlerFailures);
        Assert.True(toBob + toAlice + refused == Messages);
    }

    [SuiteFact]
    public async Task Subject_level_attacks_on_every_subscribed_subject_are_dropped_and_serving_goes_on()
    {
        RecordingLogger log = new();
        AgentBusOptions options = new() { Url = Url, Prefix = "fuzz", LoggerFactory = new RecordingLoggerFactory(log) };
        int handled = 0;
        bool sentinelHandled = false;
        ConcurrentQueue<string> invalidSeenByHandler = new();
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await using AgentSubscription serving = await bob.SubscribeToMeAsync((envelope, context) =>
        {
            Interlocked.Increment(ref handled);
            if (context.Subject == "fuzz.bob.query.sentinel")
            {
                Volatile.Write(ref sentinelHandled, true);
            }

            if (!IsAnswerable(context.Subject, context.ReplyTo))
            {
                invalidSeenByHandler.Enqueue(context.Subject);
            }

            return context.ReplyAsync(JsonSerializer.SerializeToElement("ok", TestJson.Default.String));
        });
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", options);
        await using AgentBus watcher = await AgentBus.ConnectAsync("watcher", options);
        int discoveries = 0, pulses = 0;
        bool sentinelWatched = false;
        EnvelopeHandler watch = (envelope, context) =>
        {
            _ = envelope is Discovery ? Interlocked.Increment(ref discoveries) : Interlocked.Increment(ref pulses);
            if (context.Subject == "fuzz.sentinel.pulse")
            {
                Volatile.Write(ref sentinelWatched, true);
            }

            return default;
        };
        await using AgentSubscription discovery = await watcher.SubscribeAsync("fuzz.*.discovery", watch);
        await using AgentSubscription pulse = await watcher.SubscribeAsync("fuzz.*.pulse", watch);
        await using AgentSubscription pulseTopics = await watcher.SubscribeAsync("fuzz.*.pulse.>", watch);
        Assert.NotNull(await alice.QueryAndWaitAsync("bob", "warm up", "status", TimeSpan.FromSeconds(30)));
        await using IAsyncDisposable raw = await ConnectRawAsync();

        // A peer learns a caller's inbox from the queries it receives.
        TaskCompletionSource<string> captured = new(TaskCreationOptions.RunContinuationsAsynchronously);
        string inbox;
        await using (IAsyncDisposable mallory = await CaptureReplyToAsync(raw, "fuzz.mallory.query.>", captured))
        {
            Reply? unanswered = await alice.QueryAndWaitAsync("mallory", "hello", "status", TimeSpan.FromSeconds(1));
            Assert.Null(unanswered);
            inbox = await captured.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        string inboxPrefix = inbox[..inbox.LastIndexOf('.')];
        byte[] query = Encoding.UTF8.GetBytes("""{"type":"query","from":"mallory","to":"bob","query":"q","request_id":"fuzzfuzzfuzzfuzz","ts":"2026-05-14T06:35:00Z"}""");
        byte[] reply = Encoding.UTF8.GetBytes("""{"type":"reply","from":"bob","reply_for":"fuzz.bob.query.status","request_id":"fuzzfuzzfuzzfuzz","ts":"2026-05-14T06:35:00Z"}""");
        byte[] discoveryPayload = Encoding.UTF8.GetBytes("""{"type":"discovery","from":"mallory","ts":"2026-05-14T06:35:00Z"}""");
        byte[] pulsePayload = Encoding.UTF8.GetBytes("""{"type":"pulse","from":"mallory","activity":"a","ts":"2026-05-14T06:35:00Z"}""");
        Func<string, (string Subject, byte[] Payload)>[] targets =
        [
            token => ($"fuzz.bob.query.{token}", query),
            token => ($"fuzz.bob.query.status.{token}", query),
            token => ($"{inboxPrefix}.{token}", reply),
            token => ($"fuzz.{token}.discovery", discoveryPayload),
            token => ($"fuzz.{token}.pulse", pulsePayload),
            token => ($"fuzz.bob.pulse.{token}", pulsePayload),
        ];

        FuzzedSubjects fuzz = new(Seed);
        int sent = 0, refusedBySender = 0, index = 0;
        foreach (string token in fuzz.Tokens(randomCount: 300))
        {
            foreach (Func<string, (string Subject, byte[] Payload)> target in targets)
            {
                (string subject, byte[] payload) = target(token);
                if (await TryPublishAsync(raw, subject, payload, fuzz.ReplyTo(index++, inbox)))
                {
                    sent++;
                }
                else
                {
                    refusedBySender++;
                }
            }

            // The reply subject alice listens on is exact: only its reply-to can be attacked.
            _ = await TryPublishAsync(raw, "fuzz.bob.reply.status", reply, fuzz.ReplyTo(index++, inbox)) ? sent++ : refusedBySender++;
        }

        // A raw publisher's messages arrive in order: once these are seen, every attack before them has been.
        await PublishRawAsync(raw, "fuzz.bob.query.sentinel", query);
        await PublishRawAsync(raw, "fuzz.sentinel.pulse", pulsePayload);
        Stopwatch waited = Stopwatch.StartNew();
        while (!Volatile.Read(ref sentinelHandled) || !Volatile.Read(ref sentinelWatched)
            || bob.Statistics.Received != Volatile.Read(ref handled) + bob.Statistics.UnanswerableQueries)
        {
            Assert.True(
                waited.Elapsed < TimeSpan.FromSeconds(60),
                $"the sentinels did not arrive or a query was neither handled nor dropped: a subscription died or messages were lost ({bob.Statistics}, {handled} handled)");
            await Task.Delay(10);
        }

        // Every subscription still works: a call (query subscription, inbox), a reply on the reply subject, a pulse and an announcement.
        Reply? after = await alice.QueryAndWaitAsync("bob", "still serving?", "status", TimeSpan.FromSeconds(30));
        Assert.Equal("ok", after?.Data?.GetString());
        int pulsesBefore = Volatile.Read(ref pulses), discoveriesBefore = Volatile.Read(ref discoveries);
        await bob.PulseAsync("alive");
        await bob.AnnounceDiscoveryAsync("worker");
        waited.Restart();
        while (Volatile.Read(ref pulses) == pulsesBefore || Volatile.Read(ref discoveries) == discoveriesBefore)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the watcher's subscriptions stopped delivering");
            await Task.Delay(10);
        }

        AgentBusStatistics stats = bob.Statistics;
        Assert.Empty(invalidSeenByHandler);
        Assert.True(stats.UnanswerableQueries > 0, "no attack reached the query subscription");
        Assert.Equal(stats.Received, Volatile.Read(ref handled) + stats.UnanswerableQueries);
        Assert.Equal(0, stats.HandlerFailures);
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("connection lost", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("maximum control line", StringComparison.OrdinalIgnoreCase));
        Output?.WriteLine(
            $"{sent} attacks sent ({refusedBySender} refused by the sender's own client or broker); bob: {stats.Received} queries, "
            + $"{handled} handled, {stats.UnanswerableQueries} dropped as unanswerable, {stats.Malformed} malformed; alice: "
            + $"{alice.Statistics.UnmatchedReplies} unmatched replies; watcher: {discoveries} discoveries, {pulses} pulses; connections lost: 0");
    }

    protected ITestOutputHelper? Output { get; init; }

    private static bool IsAnswerable(string subject, string? replyTo)
        => IsSubject(subject) && System.Text.Encoding.UTF8.GetByteCount(subject) < 4000
            && (replyTo is null || (IsSubject(replyTo) && System.Text.Encoding.UTF8.GetByteCount(replyTo) < 4000));

    private static bool IsSubject(string subject)
        => subject.Split('.').All(token => token.Length > 0 && token != "*" && token != ">" && !token.Any(c => c is '*' or '>' || char.IsControl(c) || char.IsWhiteSpace(c)));

    private async Task<bool> TryPublishAsync(IAsyncDisposable raw, string subject, byte[] payload, string? replyTo)
    {
        // Whitespace ends a subject on the wire, and a line over 4,096 bytes gets the sender itself disconnected: neither is
        // an attack on the bus.
        if (subject.Any(c => c is ' ' or '\t' or '\r' or '\n') || replyTo?.Any(c => c is ' ' or '\t' or '\r' or '\n') == true
            || Encoding.UTF8.GetByteCount(subject) + (replyTo is null ? 0 : Encoding.UTF8.GetByteCount(replyTo)) > 4_000)
        {
            return false;
        }

        try
        {
            await PublishRawAsync(raw, subject, payload, replyTo);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static long Seen(AgentBus bus) => bus.Statistics.Received + bus.Statistics.Malformed;

    private static async Task CatchUpAsync(AgentBus bob, long bobExpected, AgentBus alice, long aliceExpected, int sent, int seed)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (Seen(bob) < bobExpected || Seen(alice) < aliceExpected)
        {
            Assert.True(
                waited.Elapsed < TimeSpan.FromSeconds(30),
                $"after {sent} messages (seed {seed}) bob has seen {Seen(bob)} of {bobExpected} and alice {Seen(alice)} of {aliceExpected}: messages were lost");
            await Task.Delay(5);
        }
    }
}

public sealed class MemoryFuzzTests : FuzzTests
{
    public MemoryFuzzTests(ITestOutputHelper output) => Output = output;

    private readonly string _name = $"fuzz-{Guid.NewGuid():N}";

    protected override string Url => $"memory://{_name}";

    protected override Task<IAsyncDisposable> ConnectRawAsync() => Task.FromResult<IAsyncDisposable>(new MemoryTransport(_name));

    protected override async Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload, string? replyTo = null)
        => await ((MemoryTransport)connection).PublishAsync(subject, replyTo, payload, CancellationToken.None);

    protected override async Task<IAsyncDisposable> CaptureReplyToAsync(IAsyncDisposable connection, string subject, TaskCompletionSource<string> replyTo)
        => await ((MemoryTransport)connection).SubscribeAsync(
            subject,
            null,
            message =>
            {
                replyTo.TrySetResult(message.ReplyTo!);
                return default;
            },
            CancellationToken.None);
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsFuzzTests : FuzzTests
{
    private readonly NatsServerFixture _nats;

    public NatsFuzzTests(NatsServerFixture nats, ITestOutputHelper output)
    {
        _nats = nats;
        Output = output;
    }

    protected override string Url => _nats.Url;

    protected override async Task<IAsyncDisposable> ConnectRawAsync()
    {
        NatsConnection connection = new(NatsOpts.Default with { Url = Url });
        await connection.ConnectAsync();
        return connection;
    }

    protected override async Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload, string? replyTo = null)
        => await ((NatsConnection)connection).PublishAsync(subject, payload, replyTo: replyTo);

    protected override async Task<IAsyncDisposable> CaptureReplyToAsync(IAsyncDisposable connection, string subject, TaskCompletionSource<string> replyTo)
    {
        NatsConnection nats = (NatsConnection)connection;
        INatsSub<byte[]> subscription = await nats.SubscribeCoreAsync<byte[]>(subject);
        await nats.PingAsync();
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in subscription.Msgs.ReadAllAsync())
            {
                replyTo.TrySetResult(message.ReplyTo!);
            }
        });
        return subscription;
    }
}
