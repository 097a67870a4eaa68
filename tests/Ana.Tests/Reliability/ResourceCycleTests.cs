using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Tests.Reliability;

/// <summary>
/// Issue 10, "Soak and load figures": ten thousand distinct topics called, and ten thousand serve/stop cycles, leave
/// the server's subscriptions and the managed heap where they were. The server's own count (its monitoring port's
/// <c>/varz</c>) is the judge, not the bus's bookkeeping.
/// </summary>
[Trait("Category", "Slow")]
[Collection(RunsAloneCollection.Name)]
public sealed class ResourceCycleTests(ITestOutputHelper output)
{
    private const int Cycles = 10_000;

    [OwnNatsServerFact]
    public async Task Ten_thousand_distinct_topics_leave_no_subscription_behind()
    {
        (NatsServer nats, int monitor) = await NatsMonitor.StartMonitoredServerAsync();
        await using NatsServer server = nats;
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.topics", ReplySubjectLinger = TimeSpan.FromMilliseconds(200) };
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await using AgentSubscription serving = await bob.SubscribeToMeAsync(
            (envelope, context) => context.ReplyAsync(JsonSerializer.SerializeToElement(((Query)envelope).Text)));
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", options);
        Assert.NotNull(await alice.QueryAndWaitAsync("bob", "warm-up", "warm"));
        await WaitUntilAsync(() => alice.ReplySubjectCount == 0);
        long baselineSubscriptions = await NatsMonitor.SubscriptionsAsync(monitor);
        long baselineHeap = Heap();

        int peak = 0;
        for (int topic = 0; topic < Cycles; topic++)
        {
            Reply? reply = await alice.QueryAndWaitAsync("bob", "hi", $"t{topic}", TimeSpan.FromSeconds(30));
            Assert.Equal("hi", reply!.Data!.Value.GetString());
            peak = Math.Max(peak, alice.ReplySubjectCount);
        }

        await WaitUntilAsync(() => alice.ReplySubjectCount == 0);
        long afterSubscriptions = await NatsMonitor.SubscriptionsAsync(monitor);
        long afterHeap = Heap();
        output.WriteLine(
            $"{Cycles:N0} topics: server subscriptions {baselineSubscriptions} before, {afterSubscriptions} after; " +
            $"at most {peak} reply subjects held during the run (in use, idle or being unsubscribed); heap {Mib(baselineHeap)} MiB before, {Mib(afterHeap)} MiB after");

        Assert.Equal(baselineSubscriptions, afterSubscriptions);
        // 256 idle at most, plus the one in use, plus those released but still being unsubscribed in the background.
        Assert.True(peak < 1_000, $"{peak} reply subjects were held at once by a caller making one call at a time");
        Assert.True(afterHeap - baselineHeap < 8 * 1024 * 1024, $"the heap grew by {Mib(afterHeap - baselineHeap)} MiB");
    }

    [OwnNatsServerFact]
    public async Task Ten_thousand_subscribe_and_dispose_cycles_leave_no_subscription_behind()
    {
        (NatsServer nats, int monitor) = await NatsMonitor.StartMonitoredServerAsync();
        await using NatsServer server = nats;
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.cycles" };
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await (await bob.SubscribeToMeAsync((_, _) => default)).DisposeAsync();
        long baselineSubscriptions = await NatsMonitor.SubscriptionsAsync(monitor);
        long baselineHeap = Heap();

        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            AgentSubscription serving = await bob.SubscribeToMeAsync((envelope, context) => context.ReplyAsync(null));
            if (cycle % 2 == 0)
            {
                await serving.DisposeAsync();
            }
            else
            {
                await serving.DrainAsync(TimeSpan.FromSeconds(30));
            }
        }

        long afterSubscriptions = await NatsMonitor.SubscriptionsAsync(monitor);
        long afterHeap = Heap();
        output.WriteLine(
            $"{Cycles:N0} subscribe/stop cycles (half disposed, half drained): server subscriptions {baselineSubscriptions} before, " +
            $"{afterSubscriptions} after; bus holds {bob.OpenSubscriptions}; heap {Mib(baselineHeap)} MiB before, {Mib(afterHeap)} MiB after");

        Assert.Equal(baselineSubscriptions, afterSubscriptions);
        Assert.Equal(0, bob.OpenSubscriptions);
        Assert.True(afterHeap - baselineHeap < 8 * 1024 * 1024, $"the heap grew by {Mib(afterHeap - baselineHeap)} MiB");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource patience = new(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, patience.Token);
        }
    }
}
