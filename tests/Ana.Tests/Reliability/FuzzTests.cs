using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport.Memory;
using NATS.Client.Core;

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

    protected abstract Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload);

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
    private readonly string _name = $"fuzz-{Guid.NewGuid():N}";

    protected override string Url => $"memory://{_name}";

    protected override Task<IAsyncDisposable> ConnectRawAsync() => Task.FromResult<IAsyncDisposable>(new MemoryTransport(_name));

    protected override async Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload)
        => await ((MemoryTransport)connection).PublishAsync(subject, null, payload, CancellationToken.None);
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsFuzzTests(NatsServerFixture nats) : FuzzTests
{
    protected override string Url => nats.Url;

    protected override async Task<IAsyncDisposable> ConnectRawAsync()
    {
        NatsConnection connection = new(NatsOpts.Default with { Url = Url });
        await connection.ConnectAsync();
        return connection;
    }

    protected override async Task PublishRawAsync(IAsyncDisposable connection, string subject, byte[] payload)
        => await ((NatsConnection)connection).PublishAsync(subject, payload);
}
