using System.Diagnostics;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 10, failover: a three-node nats-server cluster on loopback (<see cref="NatsCluster"/>). The caller starts on
/// node 1, the server bus on node 3, each given every node's URL. While 1,000 calls run at concurrency 32, the caller's
/// node is killed; then, with node 1 back, the same with the server bus's node. Nothing is misdelivered, nothing hangs,
/// and the gap until the first answered call after each kill is measured (goal: under 500 ms; asserted: under 5 s).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const int Calls = 1_000;
    private const int Concurrency = 32;
    private const int KillAfter = 300;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2); // IWorker.EchoAsync's [AnaTimeout(2)]

    /// <summary>What a loaded machine meets: the goal is 500 ms, the client's old reconnect wait alone was 2 s.</summary>
    private static readonly TimeSpan GapBound = TimeSpan.FromSeconds(5);

    [OwnNatsServerFact]
    public async Task Calls_survive_the_death_of_the_callers_node_and_then_of_the_responders_node()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(3));
        await using NatsCluster cluster = await NatsCluster.StartAsync(3, "ana-rel", bound.Token);
        IReadOnlyList<NatsCluster.Node> nodes = cluster.Nodes;

        // Every node's URL, as an agent should be given them. NoRandomize only so that the test knows where each bus
        // starts; it is also the reconnect order's worst case (after a kill, the dead node is tried first: see
        // docs/reliability.md, "Cluster failover").
        const string Prefix = "rel.cluster";
        Worker worker = new("w");
        await using AgentBus server = await AgentBus.ConnectAsync("w", new AgentBusOptions
        {
            Url = string.Join(',', nodes.Reverse().Select(n => n.Url)),
            Prefix = Prefix,
            NoRandomize = true,
        });
        await using AgentSubscription serving = await server.ServeAsync<IWorker>(worker);
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", new AgentBusOptions
        {
            Url = cluster.Urls,
            Prefix = Prefix,
            NoRandomize = true,
        });
        IWorker client = caller.Client<IWorker>();
        Assert.Equal(0, await cluster.NodeOfConnectionAsync("caller", bound.Token));
        Assert.Equal(2, await cluster.NodeOfConnectionAsync("w", bound.Token));

        int probes = await UntilAnsweredAsync(client, "warm", bound.Token); // interest propagates over the routes first
        output.WriteLine($"Cluster of 3 formed; caller on node 1, server on node 3; first call answered after {probes} attempt(s)");

        Phase callerNode = await RunWithKillAsync(cluster, 0, client, "a", bound.Token);
        output.WriteLine($"Caller's node killed: {callerNode}");
        int callerNow = await cluster.NodeOfConnectionAsync("caller", bound.Token);
        output.WriteLine($"  the caller reconnected to node {callerNow + 1}");

        await cluster.RestartAsync(0, bound.Token);
        await UntilAnsweredAsync(client, "between", bound.Token);
        callerNow = await cluster.NodeOfConnectionAsync("caller", bound.Token);
        Assert.Equal(2, await cluster.NodeOfConnectionAsync("w", bound.Token));

        Phase serverNode = await RunWithKillAsync(cluster, 2, client, "b", bound.Token);
        output.WriteLine($"Server's node killed{(callerNow == 2 ? " (the caller's too: it had reconnected there)" : string.Empty)}: {serverNode}");
        output.WriteLine($"  the server reconnected to node {await cluster.NodeOfConnectionAsync("w", bound.Token) + 1}");

        CallRun after = await CallRun.RunAsync(200, 16, Deadline, async i => await client.EchoAsync(i, "c") == Worker.Expected(i, "c"));
        output.WriteLine($"Afterwards: {after}");
        output.WriteLine($"Caller statistics: {caller.Statistics}; server statistics: {server.Statistics}");

        foreach (Phase phase in new[] { callerNode, serverNode })
        {
            Assert.Empty(phase.Run.Misdelivered);
            Assert.Empty(phase.Run.Unexpected); // a typed outcome within deadline + CallRun.Grace, or it is listed here
            Assert.Equal(Calls, phase.Run.Completed);
            Assert.True(phase.Gap < GapBound, $"first answer {phase.Gap.TotalMilliseconds:0} ms after the kill (bound {GapBound.TotalSeconds:0} s)");
        }

        Assert.Equal(200, after.Succeeded);
    }

    /// <summary>
    /// Runs <see cref="Calls"/> calls at <see cref="Concurrency"/>; after <see cref="KillAfter"/> have completed, kills
    /// node <paramref name="node"/> and probes every 10 ms until a call made after the kill is answered. The gap is
    /// from the moment the kill returned (the process is gone) to the first answer to a call (load or probe) started
    /// after it.
    /// </summary>
    private static async Task<Phase> RunWithKillAsync(NatsCluster cluster, int node, IWorker client, string tag, CancellationToken cancellationToken)
    {
        Stopwatch clock = Stopwatch.StartNew();
        long killedAt = long.MaxValue;
        long firstAnswer = long.MaxValue;
        TaskCompletionSource killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int killStarted = 0;
        Task? kill = null;

        void Answered(long startedAt)
        {
            long now = clock.ElapsedTicks;
            long min;
            if (startedAt < Volatile.Read(ref killedAt))
            {
                return;
            }

            while (now < (min = Interlocked.Read(ref firstAnswer)) && Interlocked.CompareExchange(ref firstAnswer, now, min) != min)
            {
            }
        }

        async Task KillAsync()
        {
            await cluster.KillAsync(node, cancellationToken);
            Volatile.Write(ref killedAt, clock.ElapsedTicks);
            killed.SetResult();
        }

        Task<CallRun> load = CallRun.RunAsync(
            Calls,
            Concurrency,
            Deadline,
            async i =>
            {
                long startedAt = clock.ElapsedTicks;
                bool right = await client.EchoAsync(i, tag) == Worker.Expected(i, tag);
                if (right)
                {
                    Answered(startedAt);
                }

                return right;
            },
            run =>
            {
                if (run.Completed >= KillAfter && Interlocked.Exchange(ref killStarted, 1) == 0)
                {
                    kill = Task.Run(KillAsync, cancellationToken);
                }
            });

        await killed.Task.WaitAsync(cancellationToken);
        int attempts = 0;
        for (int n = 0; Interlocked.Read(ref firstAnswer) == long.MaxValue; n++)
        {
            attempts++;
            long startedAt = clock.ElapsedTicks;
            using CancellationTokenSource probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(TimeSpan.FromMilliseconds(250)); // a probe whose reply was lost must not hide a later answer
            try
            {
                if (await client.EchoAsync(n, "probe", probe.Token) == Worker.Expected(n, "probe"))
                {
                    Answered(startedAt);
                }
            }
            catch (Exception ex) when (ex is AnaTimeoutException or AnaNoRespondersException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            await Task.Delay(10, cancellationToken);
        }

        CallRun result = await load;
        await kill!;
        TimeSpan gap = TimeSpan.FromTicks((long)((firstAnswer - killedAt) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        return new Phase(result, gap, attempts);
    }

    private static async Task<int> UntilAnsweredAsync(IWorker client, string tag, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Assert.Equal(Worker.Expected(attempt, tag), await client.EchoAsync(attempt, tag, cancellationToken));
                return attempt;
            }
            catch (Exception ex) when (ex is AnaTimeoutException or AnaNoRespondersException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private sealed record Phase(CallRun Run, TimeSpan Gap, int Probes)
    {
        public override string ToString() => $"first call answered {Gap.TotalMilliseconds:0} ms after the kill ({Probes} probe(s)); {Run}";
    }
}
