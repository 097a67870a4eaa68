// DurableQueue: a producer stores work while no worker runs; the worker starts later and catches up. Durable work is
// stored by JetStream, so this sample needs a NATS server started with -js (memory:// has no JetStream):
//   nats-server -js -sd /tmp/ana-js
//   dotnet run --project samples/DurableQueue -- --nats nats://127.0.0.1:4222             setup, producer, then worker, in one process
//   dotnet run --project samples/DurableQueue -- --nats nats://127.0.0.1:4222 --count 50
// Across processes: the work stream must exist before the first producer (a worker's first start creates it, or
// --role setup, or an operator: docs/durable.md); then the producer stores and exits, and the worker starts when it likes.
//   dotnet run --project samples/DurableQueue -- --nats nats://127.0.0.1:4222 --role setup
//   dotnet run --project samples/DurableQueue -- --nats nats://127.0.0.1:4222 --role producer --count 10
//   dotnet run --project samples/DurableQueue -- --nats nats://127.0.0.1:4222 --role worker --count 10
using System.Diagnostics;
using Ana;
using DurableQueue;

string? url = null;
string role = "all";
string prefix = "samples.durable";
int count = 10;
int waitSeconds = 60;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--nats" when hasValue: url = args[++i]; break;
        case "--role" when hasValue && args[i + 1] is "all" or "setup" or "producer" or "worker": role = args[++i]; break;
        case "--prefix" when hasValue: prefix = args[++i]; break;
        case "--count" when hasValue && int.TryParse(args[i + 1], out count) && count > 0: i++; break;
        case "--wait" when hasValue && int.TryParse(args[i + 1], out waitSeconds) && waitSeconds > 0: i++; break;
        default:
            Console.Error.WriteLine("usage: DurableQueue --nats URL [--role all|setup|producer|worker] [--prefix PREFIX] [--count N] [--wait SECONDS]");
            return 2;
    }
}

if (url is null || url.StartsWith("memory:", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine("DurableQueue needs a NATS server with JetStream: durable work is stored by JetStream, and memory:// has none.");
    Console.Error.WriteLine("Start one with `nats-server -js` and pass its URL: DurableQueue --nats nats://127.0.0.1:4222");
    return 2;
}

AgentBusOptions options = new() { Url = url, Prefix = prefix };
try
{
    if (role is "all" or "setup")
    {
        await SetUpAsync(options);
    }

    if (role is "all" or "producer")
    {
        await ProduceAsync(options, count);
    }

    return role is "all" or "worker" ? await WorkAsync(options, count, TimeSpan.FromSeconds(waitSeconds)) : 0;
}
catch (AnaException e) when (e.Code == AnaErrorCodes.JetStreamUnavailable)
{
    Console.Error.WriteLine($"The server at {url} runs without JetStream, which durable work needs: start it with `nats-server -js`.");
    Console.Error.WriteLine($"  ({e.Message})");
    return 3;
}
catch (AnaException e) when (e.Code == AnaErrorCodes.NotStored)
{
    Console.Error.WriteLine($"not stored: {e.Message}");
    Console.Error.WriteLine("No work stream yet? A worker's first start creates it: run --role setup (or --role worker) once first.");
    return 1;
}
catch (Exception e) when (e is AnaException or AnaConnectionException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

// The worker's first start: ServeAsync creates the prefix's work stream and the consumer of each durable topic. The
// producer needs the stream (it only publishes; it never creates server objects). Served and stopped at once here, and
// only when the stream is missing, so that no stored work is taken by this short-lived server.
static async Task SetUpAsync(AgentBusOptions options)
{
    await using AgentBus bus = await AgentBus.ConnectAsync("indexer-setup", options);
    DurableStreamStatus work = (await bus.DurableWork.GetStatusAsync()).Streams[0];
    if (!work.Exists)
    {
        await (await bus.ServeAsync<IIndexer>(new Indexer(expected: int.MaxValue))).DisposeAsync();
    }

    Console.WriteLine($"setup: work stream {work.Name} {(work.Exists ? "exists already" : "created by a worker's first start")}; no worker runs now");
}

// Stores each document while no worker runs: each call returns once JetStream has confirmed storage.
static async Task ProduceAsync(AgentBusOptions options, int count)
{
    await using AgentBus bus = await AgentBus.ConnectAsync("producer", options);
    IIndexer indexer = bus.Client<IIndexer>();
    Stopwatch watch = Stopwatch.StartNew();
    for (int id = 1; id <= count; id++)
    {
        (string title, string text) = Library.Pick(id);
        await indexer.EnqueueAsync(new Document(id, title, text));
        Console.WriteLine($"producer: stored doc {id} \"{title}\"");
    }

    Console.WriteLine($"producer: {bus.Statistics.DurablePublished} documents stored in {watch.ElapsedMilliseconds} ms, none processed yet");
}

// Starts the worker, which takes the stored work, and stops once it has indexed `count` documents.
static async Task<int> WorkAsync(AgentBusOptions options, int count, TimeSpan wait)
{
    Indexer indexer = new(count);
    await using AgentBus bus = await AgentBus.ConnectAsync("indexer-worker", options);
    using CancellationTokenSource stop = new(wait);
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };

    Stopwatch watch = Stopwatch.StartNew();
    AgentSubscription serving = await bus.ServeAsync<IIndexer>(indexer);
    Console.WriteLine($"worker: started on {options.Url}, catching up");
    try
    {
        await indexer.AllDone.WaitAsync(stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Out of patience, or Ctrl+C: say how far it got.
    }

    long tookMs = watch.ElapsedMilliseconds;

    // Lets the running handlers finish and acknowledge what they did; hands back (unrun) what was not started.
    await serving.DrainAsync(TimeSpan.FromSeconds(5));

    AgentBusStatistics stats = bus.Statistics;
    bool allOnce = indexer.Indexed >= count && indexer.Repeats == 0 && stats.DurableCompletionHits == 0;
    Console.WriteLine(indexer.Indexed >= count
        ? $"worker: all {indexer.Indexed} documents indexed in {tookMs} ms, {(allOnce ? "each once" : $"{indexer.Repeats + stats.DurableCompletionHits} deliveries of work already done skipped")}"
        : $"worker: {indexer.Indexed} of {count} documents indexed; gave up after {tookMs} ms");
    Console.WriteLine(
        $"worker statistics: received {stats.DurableReceived}, redelivered {stats.DurableRedelivered}, completion-record hits {stats.DurableCompletionHits}, " +
        $"retried {stats.DurableRetried}, expired {stats.DurableExpired}, parked {stats.DurableParked}");
    foreach (DurableConsumerStatus consumer in (await bus.DurableWork.GetStatusAsync()).Consumers)
    {
        Console.WriteLine($"consumer of {consumer.FilterSubject}: {consumer.Pending} waiting, {consumer.InFlight} in flight");
    }

    return indexer.Indexed >= count ? 0 : 1;
}

/// <summary>The documents the producer stores, in turn.</summary>
internal static class Library
{
    private static readonly (string Title, string Text)[] Documents =
    [
        ("Subjects", "subjects name where a message goes and who may listen"),
        ("Queue groups", "a queue group gives each message to one of its members"),
        ("JetStream", "JetStream stores messages on disk until a consumer acknowledges them"),
        ("Work queues", "a work-queue stream forgets a message once it is acknowledged"),
        ("At least once", "a stored message may be delivered again so handlers must be idempotent"),
        ("Parking", "work that keeps failing is parked for an operator to look at"),
    ];

    public static (string Title, string Text) Pick(int id) => Documents[(id - 1) % Documents.Length];
}
