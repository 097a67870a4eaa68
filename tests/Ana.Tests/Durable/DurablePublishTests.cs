using System.Text.Json;
using Ana.Durable;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Tests.Durable;

/// <summary>
/// Durable one-way messages on a real JetStream (issue 16, first slice): the prefix's work stream, stored while no
/// server of the agent runs, deduplicated by idempotency key, and the clear errors when there is nothing to store into.
/// Each test has a nats-server of its own with file storage in a temporary folder.
/// </summary>
public sealed class DurablePublishTests : IAsyncLifetime
{
    private readonly string _prefix = "dur.t" + Guid.NewGuid().ToString("N")[..8];
    private JetStreamServer _server = null!;

    public async Task InitializeAsync() => _server = await JetStreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [OwnNatsServerFact]
    public async Task A_thousand_messages_are_stored_while_nobody_listens_and_stored_once_when_published_again()
    {
        await using AgentBus caller = await ConnectAsync("caller");
        await WorkStream.EnsureAsync(caller.Durable().JetStream, _prefix, new DurableOptions(), CancellationToken.None);

        using JsonDocument data = JsonDocument.Parse("""{"doc":{"id":1}}""");
        List<DurableReceipt> first = [];
        for (int i = 0; i < 1_000; i++)
        {
            first.Add(await caller.EnqueueDurableAsync("indexer", "enqueue", data.RootElement, idempotencyKey: $"doc-{i}"));
        }

        List<DurableReceipt> again = [];
        for (int i = 0; i < 1_000; i++)
        {
            again.Add(await caller.EnqueueDurableAsync("indexer", "enqueue", data.RootElement, idempotencyKey: $"doc-{i}"));
        }

        Assert.All(first, r => Assert.False(r.Duplicate));
        Assert.All(again, r => Assert.True(r.Duplicate));
        Assert.Equal(first.Select(r => r.Sequence), again.Select(r => r.Sequence));
        Assert.Equal(DurableNames.WorkStream(_prefix), first[0].Stream);
        Assert.Equal("doc-0", first[0].RequestId);

        await using NatsConnection nats = new(new NatsOpts { Url = _server.Url });
        INatsJSStream stream = await new NatsJSContext(nats).GetStreamAsync(DurableNames.WorkStream(_prefix));
        Assert.Equal(1_000, stream.Info.State.Messages);
        Assert.Equal(StreamConfigRetention.Workqueue, stream.Info.Config.Retention);
        Assert.Equal(StreamConfigDiscard.New, stream.Info.Config.Discard);

        // What is stored is an ordinary query envelope, on the agent's work subject.
        StoredMessage stored = (await stream.GetAsync(new StreamMsgGetRequest { Seq = first[7].Sequence })).Message;
        Assert.Equal($"{_prefix}.indexer.work.enqueue", stored.Subject);
        Query query = Assert.IsType<Query>(EnvelopeSerializer.Parse(stored.Data.Span));
        Assert.Equal(("doc-7", "enqueue", "caller"), (query.RequestId, query.Text, query.From));
        Assert.Equal(1, query.Data!.Value.GetProperty("doc").GetProperty("id").GetInt32());
    }

    [OwnNatsServerFact]
    public async Task Without_an_idempotency_key_each_publish_is_a_new_message()
    {
        await using AgentBus caller = await ConnectAsync("caller");
        await WorkStream.EnsureAsync(caller.Durable().JetStream, _prefix, new DurableOptions(), CancellationToken.None);

        DurableReceipt one = await caller.EnqueueDurableAsync("indexer", "enqueue");
        DurableReceipt two = await caller.EnqueueDurableAsync("indexer", "enqueue");

        Assert.NotEqual(one.RequestId, two.RequestId);
        Assert.Equal(one.Sequence + 1, two.Sequence);
        Assert.False(two.Duplicate);
    }

    [OwnNatsServerFact]
    public async Task A_subject_no_stream_stores_is_not_stored_at_once_naming_it()
    {
        await using AgentBus caller = await ConnectAsync("caller");

        AnaException refused = await Assert.ThrowsAsync<AnaException>(async () => await caller.EnqueueDurableAsync("indexer", "enqueue"));

        Assert.Equal(AnaErrorCodes.NotStored, refused.Code);
        Assert.Contains($"'{_prefix}.indexer.work.enqueue'", refused.Message, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task An_operators_stream_over_the_whole_prefix_is_named_when_the_work_stream_cannot_be_created()
    {
        await using NatsConnection nats = new(new NatsOpts { Url = _server.Url });
        await new NatsJSContext(nats).CreateStreamAsync(new StreamConfig("EVERYTHING", [_prefix + ".>"]));
        await using AgentBus caller = await ConnectAsync("caller");

        AnaException refused = await Assert.ThrowsAsync<AnaException>(async () =>
            await WorkStream.EnsureAsync(caller.Durable().JetStream, _prefix, new DurableOptions(), CancellationToken.None));

        Assert.Contains("overlap those of the stream 'EVERYTHING'", refused.Message, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task An_existing_work_stream_is_checked_not_recreated_and_a_missing_one_is_not_created_when_not_managed()
    {
        await using AgentBus caller = await ConnectAsync("caller");
        INatsJSContext js = caller.Durable().JetStream;
        AnaException missing = await Assert.ThrowsAsync<AnaException>(async () =>
            await WorkStream.EnsureAsync(js, _prefix, new DurableOptions { Manage = false }, CancellationToken.None));
        Assert.Contains($"'{DurableNames.WorkStream(_prefix)}' does not exist", missing.Message, StringComparison.Ordinal);

        await WorkStream.EnsureAsync(js, _prefix, new DurableOptions(), CancellationToken.None);
        DurableReceipt stored = await caller.EnqueueDurableAsync("indexer", "enqueue");
        await WorkStream.EnsureAsync(js, _prefix, new DurableOptions(), CancellationToken.None);
        await WorkStream.EnsureAsync(js, _prefix, new DurableOptions { Manage = false }, CancellationToken.None);

        INatsJSStream stream = await js.GetStreamAsync(DurableNames.WorkStream(_prefix));
        Assert.Equal(1, stream.Info.State.Messages);
        Assert.Equal(stored.Sequence, stream.Info.State.LastSeq);
    }

    [OwnNatsServerFact]
    public async Task Bad_keys_and_limits_are_refused_before_anything_is_sent()
    {
        await using AgentBus caller = await ConnectAsync("caller");
        await Assert.ThrowsAsync<ArgumentException>(async () => await caller.EnqueueDurableAsync("indexer", "enqueue", idempotencyKey: "has space"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await caller.EnqueueDurableAsync("indexer", "enqueue", idempotencyKey: new string('k', 65)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await caller.EnqueueDurableAsync("indexer", "not a topic"));
        Assert.Throws<ArgumentException>(() => WorkStream.Config(_prefix, new DurableOptions { MaxAge = TimeSpan.FromMinutes(1) }));
    }

    [OwnNatsServerFact]
    public async Task A_server_without_JetStream_and_memory_are_refused_at_once()
    {
        await using NatsServer plain = await NatsServer.StartAsync();
        await using AgentBus onPlain = await AgentBus.ConnectAsync("caller", new AgentBusOptions { Url = plain.Url, Prefix = _prefix });
        System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();
        AnaException noJetStream = await Assert.ThrowsAsync<AnaException>(async () => await onPlain.EnqueueDurableAsync("indexer", "enqueue"));
        Assert.Equal(AnaErrorCodes.JetStreamUnavailable, noJetStream.Code);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.Elapsed}");
        Assert.Contains("-js", noJetStream.Message, StringComparison.Ordinal);

        await using AgentBus inMemory = await AgentBus.ConnectAsync("caller", new AgentBusOptions { Url = "memory://durable-" + Guid.NewGuid().ToString("N") });
        AnaException noServer = await Assert.ThrowsAsync<AnaException>(async () => await inMemory.EnqueueDurableAsync("indexer", "enqueue"));
        Assert.Equal(AnaErrorCodes.JetStreamUnavailable, noServer.Code);
    }

    private Task<AgentBus> ConnectAsync(string identity)
        => AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = _server.Url, Prefix = _prefix }).AsTask();
}
