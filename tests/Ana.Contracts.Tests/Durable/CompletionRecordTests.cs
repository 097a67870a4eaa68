using System.Text.Json;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// Completion records (issue 16, "At least once"): a stored message delivered again after it was done is acknowledged
/// without running its handler, and a call's recorded reply is sent again. A delivery again is made here as JetStream
/// makes one after a lost acknowledgement or a server's crash: the same envelope, stored once more (under another
/// message id, so that the duplicate window does not keep it out).
/// </summary>
public sealed class CompletionRecordTests : DurableTestsBase
{
    [OwnNatsServerFact]
    public async Task A_call_delivered_again_after_it_was_done_is_not_run_again_and_its_recorded_reply_is_sent_again()
    {
        Indexer indexer = new("worker-1");
        AgentBus worker = await ServeAsync("worker-1", indexer);
        AgentBus caller = await ConnectAsync("alice");
        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        await using INatsSub<byte[]> work = await nats.SubscribeCoreAsync<byte[]>($"{Prefix}.indexer.work.index");
        await using INatsSub<byte[]> replies = await nats.SubscribeCoreAsync<byte[]>($"{Prefix}.indexer.reply.index");
        await nats.PingAsync();

        using JsonDocument data = JsonDocument.Parse("""{"doc":{"id":9,"text":"done once"}}""");
        Reply? first = await caller.QueryDurableAndWaitAsync("indexer", "index", data.RootElement, TimeSpan.FromSeconds(30), idempotencyKey: "call-9");
        Assert.Equal(2, first!.Data!.Value.GetProperty("words").GetInt32());
        byte[] stored = (await work.Msgs.ReadAsync().AsTask().WaitAsync(Bound)).Data!;
        byte[] reply = (await replies.Msgs.ReadAsync().AsTask().WaitAsync(Bound)).Data!;

        // The record: the reply envelope, under <consumer>.<request id>, in a bucket of one value per key kept a day.
        NatsKVContext kv = new(new NatsJSContext(nats));
        INatsKVStore bucket = await kv.GetStoreAsync("ANA_DONE_" + Prefix.Replace('.', '_'));
        NatsKVStatus status = await bucket.GetStatusAsync();
        Assert.Equal((1L, TimeSpan.FromHours(24)), (status.Info.Config.MaxMsgsPerSubject, status.Info.Config.MaxAge));
        // The reply goes out before the record is written (then the message is acknowledged): wait for the record.
        await WaitUntilAsync(async () => await bucket.GetStatusAsync() is { Info.State.Messages: > 0 });
        string key = await SingleKeyAsync(bucket);
        Assert.EndsWith(".call-9", key, StringComparison.Ordinal);
        Assert.Equal(reply, (await bucket.GetEntryAsync<byte[]>(key)).Value);

        await new NatsJSContext(nats).PublishAsync($"{Prefix}.indexer.work.index", stored, opts: new NatsJSPubOpts { MsgId = "again-9" });

        byte[] again = (await replies.Msgs.ReadAsync().AsTask().WaitAsync(Bound)).Data!;
        Assert.Equal(reply, again);
        await WaitUntilAsync(() => worker.Statistics.DurableCompletionHits == 1);
        Assert.Single(indexer.Runs);
        Assert.Equal(2, worker.Statistics.DurableReceived);
        await AssertNothingPendingAsync("index");
    }

    [OwnNatsServerTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_one_way_message_delivered_again_runs_again_only_without_completion_records(bool records)
    {
        DurableOptions durable = Durable with { CompletionRecords = records };
        Indexer indexer = new("worker-1");
        AgentBus worker = await ServeAsync("worker-1", indexer, options: null, durable);
        AgentBus caller = await ConnectAsync("producer", durable);
        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        await using INatsSub<byte[]> work = await nats.SubscribeCoreAsync<byte[]>($"{Prefix}.indexer.work.enqueue");
        await nats.PingAsync();

        await caller.Client<IIndexer>().EnqueueAsync(new Document(4, "twice?"));
        byte[] stored = (await work.Msgs.ReadAsync().AsTask().WaitAsync(Bound)).Data!;
        await WaitUntilAsync(() => indexer.Runs.Count == 1);
        await AssertNothingPendingAsync("enqueue");

        await new NatsJSContext(nats).PublishAsync($"{Prefix}.indexer.work.enqueue", stored, opts: new NatsJSPubOpts { MsgId = "again-4" });
        await WaitUntilAsync(() => worker.Statistics.DurableReceived == 2);
        await AssertNothingPendingAsync("enqueue");

        Assert.Equal((records ? 1 : 2, records ? 1L : 0L), (indexer.Runs.Count, worker.Statistics.DurableCompletionHits));
    }

    private static async Task<string> SingleKeyAsync(INatsKVStore bucket)
    {
        List<string> keys = [];
        await foreach (string key in bucket.GetKeysAsync())
        {
            keys.Add(key);
        }

        return Assert.Single(keys);
    }
}
