using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 6, faults: a three-node nats-server cluster on loopback; the server bus on node 3, the caller on node 1 (given
/// the URLs of nodes 1 and 2); node 1 is killed; the caller fails over to another node and its calls succeed again.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    [OwnNatsServerFact]
    public async Task The_caller_fails_over_to_another_node_when_its_node_dies()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(1));
        int[] routes = [FreePort(), FreePort(), FreePort()];
        string RouteUrl(int i) => $"nats://127.0.0.1:{routes[i]}";
        List<NatsServer> nodes = [];
        try
        {
            for (int i = 0; i < 3; i++)
            {
                nodes.Add(await NatsServer.StartAsync(
                    "--cluster_name", "ana-rel",
                    "--cluster", RouteUrl(i),
                    "--routes", string.Join(',', Enumerable.Range(0, 3).Where(j => j != i).Select(RouteUrl))));
            }

            const string Prefix = "rel.cluster";
            Worker worker = new("w");
            await using AgentBus server = await AgentBus.ConnectAsync("w", new AgentBusOptions { Url = nodes[2].Url, Prefix = Prefix });
            await using AgentSubscription serving = await server.ServeAsync<IWorker>(worker);
            await using AgentBus caller = await AgentBus.ConnectAsync("caller", new AgentBusOptions
            {
                Url = $"{nodes[0].Url},{nodes[1].Url}",
                Prefix = Prefix,
                ConfigureNats = o => o with { NoRandomize = true }, // node 1 first, so that the test knows which node to kill
            });
            IWorker client = caller.Client<IWorker>();

            int probes = await UntilAnsweredAsync(client, "before", bound.Token); // routes and interest propagate first
            CallRun before = await CallRun.RunAsync(200, 16, TimeSpan.FromSeconds(2), async i => await client.EchoAsync(i, "n1") == Worker.Expected(i, "n1"));
            output.WriteLine($"Through node 1 (after {probes} probe(s) while the cluster formed): {before}");
            Assert.Equal(200, before.Succeeded);

            Stopwatch failover = Stopwatch.StartNew();
            await nodes[0].StopAsync(bound.Token);
            int afterProbes = await UntilAnsweredAsync(client, "after", bound.Token);
            output.WriteLine($"Node 1 killed: first call answered after {failover.ElapsedMilliseconds} ms and {afterProbes} attempt(s)");

            CallRun after = await CallRun.RunAsync(200, 16, TimeSpan.FromSeconds(2), async i => await client.EchoAsync(i, "n2") == Worker.Expected(i, "n2"));
            output.WriteLine($"After the failover: {after}");
            Assert.Equal(200, after.Succeeded);
            Assert.Empty(after.Misdelivered);
        }
        finally
        {
            foreach (NatsServer node in nodes)
            {
                await node.DisposeAsync();
            }
        }
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

    private static int FreePort()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
