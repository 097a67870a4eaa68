using System.Diagnostics;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests;

/// <summary>Long-running calls (issue 13, section 2): progress reports and heartbeats, generated, served and called over each transport.</summary>
public abstract class LongRunningContractTests : IAsyncLifetime
{
    /// <summary>How many unsent reports an agent keeps (ProgressReports.Capacity).</summary>
    private const int ProgressCapacity = 16;

    private readonly List<IAsyncDisposable> _cleanup = [];

    protected abstract string Url { get; }

    protected AgentBusOptions Options => new() { Url = Url, Prefix = "long.fleet" };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    protected async Task<(AgentBus Server, AgentBus Caller)> StartAsync(bool serve = true)
    {
        AgentBus server = await AgentBus.ConnectAsync("planner-1", Options);
        _cleanup.Add(server);
        if (serve)
        {
            _cleanup.Add(await server.ServeAsync<ILongPlanner>(new LongPlanner()));
        }

        AgentBus caller = await AgentBus.ConnectAsync("alice", Options);
        _cleanup.Add(caller);
        return (server, caller);
    }

    [SuiteFact]
    public async Task Progress_reports_arrive_in_order_and_all_before_the_result()
    {
        (_, AgentBus caller) = await StartAsync();
        Reports<PlanStep> steps = new();

        // Fewer reports than the agent's queue holds, so that none can be skipped however slow the network.
        string[] plan = await caller.Client<ILongPlanner>().PlanAsync("ship", ProgressCapacity, steps);

        // Every report was handed on, in order, before the call returned.
        Assert.Equal(ProgressCapacity, plan.Length);
        Assert.Equal(Enumerable.Range(1, ProgressCapacity), steps.Seen.Select(s => s.Index));
        Assert.Equal(plan, steps.Seen.Select(s => s.Text));
    }

    [SuiteFact]
    public async Task Reports_made_faster_than_they_travel_keep_their_order_and_the_latest()
    {
        (_, AgentBus caller) = await StartAsync();
        Reports<int> seen = new();

        int result = await caller.Client<ILongPlanner>().FloodAsync(10_000, seen);

        // The agent's queue keeps at most 16 unsent: stale ones may be skipped, never reordered, and the last one arrives.
        Assert.Equal(10_000, result);
        Assert.NotEmpty(seen.Seen);
        Assert.Equal(seen.Seen.Order(), seen.Seen);
        Assert.Equal(10_000, seen.Seen[^1]);
    }

    [SuiteFact]
    public async Task A_call_that_outlives_its_heartbeat_deadline_stays_alive_on_its_heartbeats()
    {
        (_, AgentBus caller) = await StartAsync();

        // Twice the heartbeat deadline long: only the agent's "alive" acks, one every second, keep it going.
        Assert.Equal(6000, await caller.Client<ILongPlanner>().WorkAsync(6000));
    }

    /// <summary>The same contract called with no progress parameter taken: a plain query gets the result and no reports.</summary>
    [SuiteFact]
    public async Task A_caller_that_takes_no_reports_gets_none()
    {
        (AgentBus server, AgentBus caller) = await StartAsync();

        Assert.Equal(100, await caller.Client<ILongPlanner>().FloodAsync(100, progress: null));
        Reply? plain = await caller.QueryAndWaitAsync("long-planner", "flood", "flood", TimeSpan.FromSeconds(30), System.Text.Json.JsonDocument.Parse("""{"reports": 5}""").RootElement);

        Assert.Equal(5, plain?.Data?.GetInt32());
        Assert.Equal(0, caller.Statistics.UnmatchedReplies);
    }

    /// <summary>Collects reports as they are handed on, on whatever thread that is.</summary>
    private sealed class Reports<T> : IProgress<T>
    {
        private readonly List<T> _seen = [];

        public List<T> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void Report(T value)
        {
            lock (_seen)
            {
                _seen.Add(value);
            }
        }
    }
}

public sealed class MemoryLongRunningContractTests : LongRunningContractTests
{
    protected override string Url { get; } = $"memory://long-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsLongRunningContractTests(NatsServerFixture nats, ITestOutputHelper output) : LongRunningContractTests
{
    protected override string Url => nats.Url;

    /// <summary>
    /// A worker that took the call and then went silent (its process killed: a raw subscriber that never answers) is
    /// noticed within the heartbeat deadline (3 s), though the call's timeout is ten minutes.
    /// </summary>
    [NatsFact]
    public async Task A_worker_that_dies_mid_call_is_noticed_within_the_heartbeat_deadline()
    {
        (_, AgentBus caller) = await StartAsync(serve: false);
        await using NatsConnection dead = new(new NatsOpts { Url = Url });
        TaskCompletionSource received = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using INatsSub<byte[]> worker = await dead.SubscribeCoreAsync<byte[]>("long.fleet.long-planner.query.work");
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> _ in worker.Msgs.ReadAllAsync())
            {
                received.TrySetResult();
            }
        });
        await dead.PingAsync();

        Stopwatch watch = Stopwatch.StartNew();
        AnaTimeoutException timeout = await Assert.ThrowsAsync<AnaTimeoutException>(() => caller.Client<ILongPlanner>().WorkAsync(60_000));
        TimeSpan noticed = watch.Elapsed;

        Assert.True(received.Task.IsCompleted);
        Assert.True(timeout.IsIdle);
        Assert.Equal(TimeSpan.FromSeconds(3), timeout.Timeout);
        Assert.Contains("no sign of life", timeout.Message, StringComparison.Ordinal);
        Assert.InRange(noticed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
        output.WriteLine($"a silent worker was noticed after {noticed.TotalMilliseconds:0} ms (heartbeat deadline 3,000 ms, timeout 600 s)");
    }
}
