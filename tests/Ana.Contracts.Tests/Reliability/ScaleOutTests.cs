using System.Collections.Concurrent;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 6, faults: three servers of one contract in one queue group share the calls, and when one goes away mid-run the
/// others answer the rest. The servers are three <see cref="AgentBus"/> instances, each with its own NATS connection,
/// in the test's process (not three processes); "killed" is a dispose of that bus, which unsubscribes first.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const int Calls = 3_000;
    private const int Concurrency = 32;
    private const int KillAfter = 1_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2); // [AnaTimeout(2)] on WhoAsync

    [OwnNatsServerFact]
    public async Task Three_servers_share_the_calls_and_the_others_take_over_when_one_goes()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(2));
        await using NatsServer nats = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.scale" };
        List<AgentBus> servers = [];
        try
        {
            foreach (string name in new[] { "s1", "s2", "s3" })
            {
                AgentBus bus = await AgentBus.ConnectAsync(name, options);
                servers.Add(bus);
                await bus.ServeAsync<IWorker>(new Worker(name), new ServeOptions { QueueGroup = "workers" });
            }

            await using AgentBus caller = await AgentBus.ConnectAsync("caller", options);
            IWorker client = caller.Client<IWorker>();
            ConcurrentDictionary<string, int> before = new();
            ConcurrentDictionary<string, int> after = new();
            TaskCompletionSource killNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
            int killed = 0; // 0: s3 serving, 1: being disposed, 2: disposed
            Task kill = Task.Run(
                async () =>
                {
                    await killNow.Task.WaitAsync(bound.Token);
                    await servers[2].DisposeAsync();
                    Volatile.Write(ref killed, 2);
                },
                bound.Token);

            CallRun run = await CallRun.RunAsync(
                Calls,
                Concurrency,
                Deadline,
                async i =>
                {
                    int phase = Volatile.Read(ref killed);
                    Served served = await client.WhoAsync(i);
                    (phase == 0 ? before : after).AddOrUpdate(served.Server, 1, (_, c) => c + 1);
                    return served.N == i && (phase < 2 || served.Server != "s3");
                },
                r =>
                {
                    if (r.Completed == KillAfter)
                    {
                        // Calls started from now on count as "after": at most Concurrency - 1 started before are in flight.
                        Volatile.Write(ref killed, 1);
                        killNow.TrySetResult();
                    }
                }).WaitAsync(bound.Token);
            await kill.WaitAsync(bound.Token);

            output.WriteLine($"Scale-out with s3 disposed after {KillAfter} calls: {run}");
            output.WriteLine($"Answered while all three served: {string.Join(", ", before.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
            output.WriteLine($"Answered after the dispose began (s3 only until its unsubscribe took effect): {string.Join(", ", after.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");

            Assert.Equal(Calls, run.Completed);
            Assert.Empty(run.Misdelivered); // includes: no answer from s3 to a call made after s3 was gone
            Assert.True(run.Unexpected.IsEmpty, string.Join(Environment.NewLine, run.Unexpected.Take(20)));
            Assert.Equal(0, run.NoResponders);
            Assert.True(run.TimedOut <= Concurrency, $"{run.TimedOut} calls timed out; at most the {Concurrency} in flight at the dispose may");
            foreach (string name in new[] { "s1", "s2", "s3" })
            {
                Assert.True(before.GetValueOrDefault(name) >= KillAfter / 3 / 3, $"{name} got {before.GetValueOrDefault(name)} of the first calls: not a real share");
            }

            // Every call started after the dispose began was answered (by s1 or s2, or by s3 while it was still unsubscribing) or timed out.
            int afterTotal = after.Values.Sum();
            Assert.True(afterTotal >= Calls - KillAfter - Concurrency - run.TimedOut, $"only {afterTotal} calls answered after the dispose began");
            Assert.True(after.GetValueOrDefault("s1") + after.GetValueOrDefault("s2") >= afterTotal - after.GetValueOrDefault("s3"));
        }
        finally
        {
            foreach (AgentBus bus in servers)
            {
                await bus.DisposeAsync();
            }
        }
    }
}
