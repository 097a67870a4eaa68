using System.Globalization;
using System.Text.Json;

namespace Ana.Testing.Nats;

/// <summary>
/// A cluster of real <c>nats-server</c> nodes on 127.0.0.1, for failover tests: each node on a free client port, a free
/// cluster (route) port and a free monitoring port, with routes to every other node. Each node is a
/// <see cref="NatsServer"/> (started and stopped by PID): <see cref="KillAsync"/> kills one, <see cref="RestartAsync"/>
/// starts it again on the same ports. Not available with <c>ANA_NATS_URL</c> (use <c>[OwnNatsServerFact]</c>).
/// </summary>
/// <remarks>
/// A client should be given every node's URL (<see cref="Urls"/>): that is how an agent is told about a cluster. The
/// nodes also advertise each other's client URLs (INFO <c>connect_urls</c>: <c>127.0.0.1:PORT</c>, the node itself
/// first), so a client given one URL still learns the others once connected.
/// </remarks>
public sealed class NatsCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Node> _nodes;

    private NatsCluster(string name, List<Node> nodes)
    {
        Name = name;
        _nodes = nodes;
    }

    /// <summary>The cluster's name (<c>--cluster_name</c>).</summary>
    public string Name { get; }

    /// <summary>The nodes, in the order they were started.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Every node's client URL, comma-separated: the seed list to give a client.</summary>
    public string Urls => string.Join(',', _nodes.Select(n => n.Url));

    /// <summary>
    /// Starts <paramref name="size"/> nodes with routes to each other and waits until every node has a route to every
    /// other one (read from its monitoring port, <c>/routez</c>).
    /// </summary>
    public static async Task<NatsCluster> StartAsync(int size = 3, string name = "ana-test", CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (NatsServer.ExternalUrl is not null)
        {
            throw new InvalidOperationException("A cluster needs nats-server processes of its own, and ANA_NATS_URL is set.");
        }

        int[] clusterPorts = Enumerable.Range(0, size).Select(_ => LoopbackPorts.Free()).ToArray();
        List<Node> nodes = [];
        NatsCluster cluster = new(name, nodes);
        try
        {
            for (int i = 0; i < size; i++)
            {
                nodes.Add(await StartNodeAsync(i, name, clusterPorts, cancellationToken).ConfigureAwait(false));
            }

            await cluster.WaitUntilFormedAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills node <paramref name="index"/> (SIGKILL: its clients see the socket close, nothing else).</summary>
    public async Task KillAsync(int index, CancellationToken cancellationToken = default)
    {
        _nodes[index].IsRunning = false;
        await _nodes[index].Server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a killed node again on its ports and waits until the cluster has formed again.</summary>
    public async Task RestartAsync(int index, CancellationToken cancellationToken = default)
    {
        await _nodes[index].Server.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        _nodes[index].IsRunning = true;
        await WaitUntilFormedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The index of the running node that holds a client connection named <paramref name="connectionName"/> (an
    /// <c>AgentBus</c> names its connection after its agent), read from each node's <c>/connz</c>; -1 if none.
    /// </summary>
    public async Task<int> NodeOfConnectionAsync(string connectionName, CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (!_nodes[i].IsRunning)
            {
                continue;
            }

            using JsonDocument connz = await _nodes[i].MonitorAsync("connz", cancellationToken).ConfigureAwait(false);
            if (connz.RootElement.TryGetProperty("connections", out JsonElement connections)
                && connections.ValueKind == JsonValueKind.Array
                && connections.EnumerateArray().Any(c => c.TryGetProperty("name", out JsonElement n) && n.GetString() == connectionName))
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Node node in _nodes)
        {
            await node.Server.DisposeAsync().ConfigureAwait(false);
            node.IsRunning = false;
        }
    }

    private static async Task<Node> StartNodeAsync(int index, string name, int[] clusterPorts, CancellationToken cancellationToken)
    {
        // A free port can be taken by another process between the probe and nats-server's bind: then try other ports.
        for (int attempt = 1; ; attempt++)
        {
            int monitorPort = LoopbackPorts.Free();
            string routes = string.Join(',', Enumerable.Range(0, clusterPorts.Length).Where(j => j != index).Select(j => RouteUrl(clusterPorts[j])));
            try
            {
                NatsServer server = await NatsServer.StartAsync(
                    [
                        "-m", monitorPort.ToString(CultureInfo.InvariantCulture),
                        "--cluster_name", name,
                        "--cluster", RouteUrl(clusterPorts[index]),
                        "--routes", routes,
                    ],
                    cancellationToken).ConfigureAwait(false);
                return new Node(index, server, clusterPorts[index], monitorPort);
            }
            catch (NatsServerStartException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                clusterPorts[index] = LoopbackPorts.Free(); // the others still route to it: routes are gossiped both ways
            }
        }
    }

    private static string RouteUrl(int port) => string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{port}");

    private async Task WaitUntilFormedAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(FormTimeout);
        List<Node> running = _nodes.Where(n => n.IsRunning).ToList();
        try
        {
            while (true)
            {
                bool formed = true;
                foreach (Node node in running)
                {
                    using JsonDocument routez = await node.MonitorAsync("routez", bound.Token).ConfigureAwait(false);
                    formed &= routez.RootElement.TryGetProperty("num_routes", out JsonElement n) && n.GetInt32() >= running.Count - 1;
                }

                if (formed)
                {
                    return;
                }

                await Task.Delay(50, bound.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The cluster {Name} did not form within {FormTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>One node: its server process and its ports.</summary>
    public sealed class Node
    {
        internal Node(int index, NatsServer server, int clusterPort, int monitorPort)
        {
            Index = index;
            Server = server;
            ClusterPort = clusterPort;
            MonitorPort = monitorPort;
        }

        public int Index { get; }

        public NatsServer Server { get; }

        /// <summary><c>nats://127.0.0.1:PORT</c>, the client URL.</summary>
        public string Url => Server.Url;

        public int ClusterPort { get; }

        /// <summary>The HTTP monitoring port (<c>/varz</c>, <c>/connz</c>, <c>/routez</c>, <c>/subsz</c>).</summary>
        public int MonitorPort { get; }

        /// <summary>False once killed, until restarted.</summary>
        public bool IsRunning { get; internal set; } = true;

        /// <summary>Reads a monitoring endpoint (<c>varz</c>, <c>connz</c>, <c>routez</c>, <c>subsz</c>…) as JSON.</summary>
        public Task<JsonDocument> MonitorAsync(string endpoint, CancellationToken cancellationToken = default)
            => NatsMonitor.GetAsync(MonitorPort, endpoint, cancellationToken);
    }
}
