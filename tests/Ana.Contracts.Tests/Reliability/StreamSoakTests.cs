using System.Diagnostics;
using System.Globalization;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 13, streams under load over a real nats-server, through the generated <see cref="IWriter"/> client: many streams
/// of 100 items at concurrency 64, every item delivered once and in order, the managed heap back where it was after the
/// warm-up (within 5%, or the runtime's pool noise); and 1,000 concurrent streams stopped mid-way, every server
/// iterator's <c>finally</c> run. 1,000 streams by default (what <c>./build.sh test</c> runs); <c>./build.sh soak</c>
/// runs 10,000 (the count comes from <c>ANA_STREAM_SOAK_STREAMS</c>).
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(SoakTests))]
public sealed class StreamSoakTests(ITestOutputHelper output)
{
    public const string StreamsVariable = "ANA_STREAM_SOAK_STREAMS";
    private const int DefaultStreams = 1_000;
    private const int Items = 100;
    private const int Concurrency = 64;
    private const int WarmUp = 1_000;
    private const double HeapGrowthLimit = 0.05;
    private const long HeapNoiseBytes = 512 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How long a stream may take: each of them takes milliseconds, and the heap is measured once it has passed.</summary>
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(3);

    [OwnNatsServerFact]
    public async Task Many_streams_deliver_every_item_once_in_order_and_leave_the_heap_where_it_was()
    {
        int streams = Environment.GetEnvironmentVariable(StreamsVariable) is { Length: > 0 } value
            ? int.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
            : DefaultStreams;
        await using NatsServer server = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = server.Url, Prefix = "rel.streams", DefaultTimeout = StreamTimeout };
        await using AgentBus responder = await AgentBus.ConnectAsync("writer-1", options);
        await using AgentSubscription serving = await responder.ServeAsync<IWriter>(new Writer(), new ServeOptions { MaxConcurrency = Concurrency });
        await using AgentBus caller = await AgentBus.ConnectAsync("reader", options);
        IWriter client = caller.Client<IWriter>();

        Assert.Equal(0, await RunAsync(client, WarmUp));
        long heapBefore = await HeapOnceDeadlinesPassedAsync();
        Stopwatch watch = Stopwatch.StartNew();
        int wrong = await RunAsync(client, streams);
        TimeSpan took = watch.Elapsed;
        long heapAfter = await HeapOnceDeadlinesPassedAsync();

        output.WriteLine($"{streams:N0} streams of {Items} items at concurrency {Concurrency} in {took.TotalSeconds:0.0} s ({streams * (double)Items / took.TotalSeconds:N0} items/s)");
        output.WriteLine($"Managed heap after a full GC: {Mib(heapBefore)} MiB after the warm-up, {Mib(heapAfter)} MiB after ({(heapAfter - heapBefore) * 100.0 / heapBefore:+0.0;-0.0}%)");
        output.WriteLine($"Caller: {caller.Statistics}; responder: {responder.Statistics}");
        Assert.Equal(0, wrong);
        Assert.Equal(0, caller.Statistics.UnmatchedReplies + caller.Statistics.Malformed);
        long allowed = Math.Max((long)(heapBefore * HeapGrowthLimit), HeapNoiseBytes);
        Assert.True(heapAfter - heapBefore <= allowed, $"managed heap grew from {Mib(heapBefore)} MiB to {Mib(heapAfter)} MiB");
    }

    [OwnNatsServerFact]
    public async Task Stopping_a_thousand_streams_mid_way_runs_every_servers_finally()
    {
        const int Streams = 1_000;
        await using NatsServer server = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = server.Url, Prefix = "rel.streams", MaxConcurrentHandlers = Streams };
        Writer writer = new();
        await using AgentBus responder = await AgentBus.ConnectAsync("writer-1", options);
        AgentSubscription serving = await responder.ServeAsync<IWriter>(writer, new ServeOptions { MaxConcurrency = Streams });
        await using AgentBus caller = await AgentBus.ConnectAsync("reader", options);
        IWriter client = caller.Client<IWriter>();

        // Every stream takes a few items, then all stop at once.
        using CancellationTokenSource stop = new();
        int reading = 0;
        TaskCompletionSource allReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] readers = Enumerable.Range(0, Streams).Select(_ => Task.Run(async () =>
        {
            try
            {
                int seen = 0;
                await foreach (int tick in client.TicksAsync(stop.Token))
                {
                    if (++seen == 3 && Interlocked.Increment(ref reading) == Streams)
                    {
                        allReading.TrySetResult();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        await allReading.Task.WaitAsync(Patience);

        Stopwatch watch = Stopwatch.StartNew();
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(Patience);
        while (writer.Finished < Streams && watch.Elapsed < Patience)
        {
            await Task.Delay(10);
        }

        TimeSpan tookToFinish = watch.Elapsed;
        await serving.DisposeAsync();
        output.WriteLine($"{writer.Finished:N0} of {Streams:N0} server iterators ran their finally {tookToFinish.TotalMilliseconds:0} ms after the callers stopped ({writer.Cancelled:N0} saw their token cancelled)");
        Assert.Equal(Streams, writer.Finished);
        Assert.Equal(Streams, writer.Cancelled);
    }

    /// <summary>Runs <paramref name="streams"/> streams of <see cref="Items"/> items, 64 at a time; how many were not the numbers asked for.</summary>
    private static async Task<int> RunAsync(IWriter client, int streams)
    {
        int next = -1, wrong = 0;
        async Task WorkerAsync()
        {
            for (int i = Interlocked.Increment(ref next); i < streams; i = Interlocked.Increment(ref next))
            {
                long start = (long)i * Items, expected = start;
                await foreach (long item in client.RangeAsync(start, Items))
                {
                    if (item != expected++)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }

                if (expected != start + Items)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(WorkerAsync)));
        return wrong;
    }

    /// <summary>
    /// The heap after a full collection, once every stream's deadline has passed: both buses keep one token source per
    /// 10 ms slot of deadlines until it fires (see Deadlines), which a heap measured sooner counts as growth.
    /// </summary>
    private static async Task<long> HeapOnceDeadlinesPassedAsync()
    {
        await Task.Delay(StreamTimeout + TimeSpan.FromSeconds(0.5));
        return FullyCollectedHeap();
    }

    private static long FullyCollectedHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture);
}
