using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// What <c>ServeAsync</c> finds or creates on JetStream (issue 16, "Create or check"), and the clock a server reads
/// stored calls' deadlines on.
/// </summary>
public sealed class CreateOrCheckTests : DurableTestsBase
{
    private static readonly string[] DurableTopics = ["enqueue", "flaky", "index"];

    private string WorkStream => "ANA_WORK_" + Prefix.Replace('.', '_');

    [OwnNatsServerFact]
    public async Task Three_servers_starting_at_once_make_one_consumer_per_durable_topic()
    {
        AgentBus[] servers = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => ConnectAsync($"worker-{i}")));

        await Task.WhenAll(servers.Select(bus => bus.ServeAsync<IIndexer>(new Indexer(bus.Identity)).AsTask()));

        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        NatsJSContext js = new(nats);
        List<ConsumerInfo> consumers = [];
        await foreach (INatsJSConsumer consumer in js.ListConsumersAsync(WorkStream))
        {
            consumers.Add(consumer.Info);
        }

        Assert.Equal(DurableTopics.Select(t => $"{Prefix}.indexer.work.{t}"), consumers.Select(c => c.Config.FilterSubject).Order());
        Assert.All(consumers, c => Assert.Equal(ConsumerName(c.Config.FilterSubject!), c.Name));

        // One work stream, one parked stream, one completion bucket: nothing per process.
        List<string> streams = [];
        await foreach (string name in js.ListStreamNamesAsync())
        {
            streams.Add(name);
        }

        string suffix = Prefix.Replace('.', '_');
        Assert.Equal(["ANA_PARKED_" + suffix, WorkStream, "KV_ANA_DONE_" + suffix], streams.Order(StringComparer.Ordinal));

        // The three share the work: each durable call is answered once.
        AgentBus caller = await ConnectAsync("alice");
        IndexReport[] reports = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => caller.Client<IIndexer>().IndexAsync(new Document(i, "a b"))));
        Assert.Equal(Enumerable.Range(0, 30), reports.Select(r => r.Id));
    }

    [OwnNatsServerFact]
    public async Task A_consumer_under_the_derived_name_with_another_filter_fails_serving_and_is_left_alone()
    {
        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        NatsJSContext js = new(nats);
        await js.CreateStreamAsync(new StreamConfig(WorkStream, [Prefix + ".*.work.>"]) { Retention = StreamConfigRetention.Workqueue });
        string name = ConsumerName($"{Prefix}.indexer.work.index");
        string other = $"{Prefix}.someone.work.else";
        await js.CreateOrUpdateConsumerAsync(WorkStream, new ConsumerConfig(name) { DurableName = name, FilterSubject = other, AckPolicy = ConsumerConfigAckPolicy.Explicit });
        AgentBus worker = await ConnectAsync("worker-1");

        AnaException refused = await Assert.ThrowsAsync<AnaException>(async () => await worker.ServeAsync<IIndexer>(new Indexer("worker-1")));

        Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        Assert.Contains(other, refused.Message, StringComparison.Ordinal);
        Assert.Equal(other, (await js.GetConsumerAsync(WorkStream, name)).Info.Config.FilterSubject);
    }

    [OwnNatsServerFact]
    public async Task Operator_managed_mode_with_nothing_created_fails_naming_the_stream_and_creates_nothing()
    {
        AgentBus worker = await ConnectAsync("worker-1", Durable with { Manage = false });

        AnaException refused = await Assert.ThrowsAsync<AnaException>(async () => await worker.ServeAsync<IIndexer>(new Indexer("worker-1")));

        Assert.Contains($"'{WorkStream}' does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Manage", refused.Message, StringComparison.Ordinal);
        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        await foreach (string name in new NatsJSContext(nats).ListStreamNamesAsync())
        {
            Assert.Fail($"The stream '{name}' was created.");
        }
    }

    [OwnNatsServerTheory]
    [InlineData(6, true)] // the deadline passed 1 s ago by the server's clock: within the 2 s allowance, it runs
    [InlineData(8, false)] // passed 3 s ago: beyond it, dropped without running
    public async Task A_server_clock_ahead_of_JetStreams_runs_calls_within_the_skew_allowance_and_drops_later_ones(int aheadSeconds, bool runs)
    {
        DurableOptions ahead = Durable with { TimeProvider = new ShiftedClock(TimeSpan.FromSeconds(aheadSeconds)) };
        Indexer indexer = new("worker-1");
        AgentBus worker = await ServeAsync("worker-1", indexer, options: null, ahead);
        AgentBus caller = await ConnectAsync("alice");
        using JsonDocument data = JsonDocument.Parse("""{"doc":{"id":1,"text":"on time?"}}""");

        Stopwatch waited = Stopwatch.StartNew();
        Reply? reply = await caller.QueryDurableAndWaitAsync("indexer", "index", data.RootElement, TimeSpan.FromSeconds(5));

        Assert.Equal(runs, reply is not null);
        Assert.Equal(runs ? 1 : 0, indexer.Runs.Count);
        Assert.Equal(runs ? 0 : 1, worker.Statistics.DurableExpired);
        Assert.True(runs || waited.Elapsed >= TimeSpan.FromSeconds(4.5), $"gave up after {waited.ElapsedMilliseconds} ms");
        await AssertNothingPendingAsync("index");
    }

    [OwnNatsServerFact]
    public async Task A_stored_call_whose_deadline_passes_while_it_runs_has_its_handler_token_fire()
    {
        Indexer indexer = new("worker-1") { Linger = TimeSpan.FromMinutes(5) };
        await ServeAsync("worker-1", indexer);
        AgentBus caller = await ConnectAsync("alice");
        using JsonDocument data = JsonDocument.Parse("""{"doc":{"id":2,"text":"too long"}}""");

        Stopwatch running = Stopwatch.StartNew();
        Reply? reply = await caller.QueryDurableAndWaitAsync("indexer", "index", data.RootElement, TimeSpan.FromSeconds(3));
        await indexer.Cancelled.Task.WaitAsync(Bound);

        // The caller gave up at 3 s; the handler's token fired at the deadline plus the 2 s clock-skew allowance.
        Assert.Null(reply);
        Assert.InRange(running.Elapsed, TimeSpan.FromSeconds(4), Bound);
        await AssertNothingPendingAsync("index");
    }

    /// <summary>The consumer name docs/durable.md gives: <c>ana_</c> and the SHA-256 of the filter subject in lower-case base32.</summary>
    private static string ConsumerName(string filterSubject)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(filterSubject));
        StringBuilder name = new("ana_");
        for (int bit = 0; bit < hash.Length * 8; bit += 5)
        {
            int value = 0;
            for (int i = 0; i < 5; i++)
            {
                int at = bit + i;
                value = (value << 1) | (at < hash.Length * 8 ? (hash[at / 8] >> (7 - (at % 8))) & 1 : 0);
            }

            name.Append(Alphabet[value]);
        }

        return name.ToString();
    }

    /// <summary>The system's clock, shifted: a server whose clock is ahead of the NATS server's.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
