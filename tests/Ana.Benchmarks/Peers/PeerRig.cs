using System.Diagnostics;
using System.Globalization;
using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Peers.Callers;
using Ana.Benchmarks.Peers.Grpc;
using Ana.Benchmarks.Wire;
using Ana.Testing.Nats;
using Grpc.Net.Client;
using NATS.Client.Core;

namespace Ana.Benchmarks.Peers;

/// <summary>
/// What the peers benchmark stands on: one nats-server on loopback, each stack's server in a process of its own, and in
/// this process each stack's client with its defaults (one NATS connection for raw and micro, an <see cref="AgentBus"/>,
/// a <see cref="GrpcChannel"/>).
/// </summary>
internal sealed class PeerRig : IAsyncDisposable
{
    /// <summary>The typed caller's timeout: how long the deadline slot of each call lives, on both sides (src/Ana/Bus/Internal/Deadlines.cs).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly NatsServer _nats;
    private readonly Dictionary<PeerStack, PeerServerProcess> _servers;
    private readonly NatsConnection _connection;
    private readonly AgentBus _bus;
    private readonly GrpcChannel _channel;

    private PeerRig(NatsServer nats, Dictionary<PeerStack, PeerServerProcess> servers, NatsConnection connection, AgentBus bus, GrpcChannel channel)
    {
        _nats = nats;
        _servers = servers;
        _connection = connection;
        _bus = bus;
        _channel = channel;
        NatsServerProcess = FindNatsServerProcess(nats.Port);
    }

    /// <summary>The nats-server process, for its CPU time; null if it could not be found (a server from <c>ANA_NATS_URL</c>).</summary>
    public Process? NatsServerProcess { get; }

    public PeerServerProcess Server(PeerStack stack) => _servers[stack];

    public IEchoCaller Caller(PeerStack stack, PeerHandler handler) => stack switch
    {
        PeerStack.RawNats => new RawRequestCaller(_connection, PeerSubjects.Raw(handler)),
        PeerStack.NatsMicro => new RawRequestCaller(_connection, PeerSubjects.Micro(handler)),
        PeerStack.Grpc => new GrpcCaller(new PeerBench.PeerBenchClient(_channel), handler),
        _ => new AnaCaller(_bus.Client<IBench>(PeerSubjects.AnaAgent), handler),
    };

    public static async Task<PeerRig> StartAsync(CancellationToken cancellationToken)
    {
        NatsServer nats = await NatsServer.StartAsync([], cancellationToken);
        Dictionary<PeerStack, PeerServerProcess> servers = [];
        NatsConnection? connection = null;
        AgentBus? bus = null;
        try
        {
            foreach (PeerStack stack in PeerNames.Stacks)
            {
                servers[stack] = await PeerServerProcess.StartAsync(stack, nats.Url, cancellationToken);
            }

            connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url, Name = "bench-peer-caller" });
            await connection.ConnectAsync();
            bus = await AgentBus.ConnectAsync(
                "bench-peer-caller",
                new AgentBusOptions { Url = nats.Url, Prefix = PeerSubjects.AnaPrefix, DefaultTimeout = CallTimeout },
                cancellationToken);
            GrpcChannel channel = GrpcChannel.ForAddress(servers[PeerStack.Grpc].Address);
            return new PeerRig(nats, servers, connection, bus, channel);
        }
        catch
        {
            if (bus is not null)
            {
                await bus.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            foreach (PeerServerProcess server in servers.Values)
            {
                await server.DisposeAsync();
            }

            await nats.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _bus.DisposeAsync();
        await _connection.DisposeAsync();
        foreach (PeerServerProcess server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        NatsServerProcess?.Dispose();
        await _nats.DisposeAsync();
    }

    /// <summary>The nats-server listening on <paramref name="port"/>, found by its command line (Linux: /proc).</summary>
    private static Process? FindNatsServerProcess(int port)
    {
        string portArgument = port.ToString(CultureInfo.InvariantCulture);
        foreach (Process process in Process.GetProcessesByName("nats-server"))
        {
            string path = $"/proc/{process.Id}/cmdline";
            string[] arguments = File.Exists(path) ? File.ReadAllText(path).Split('\0') : [];
            int flag = Array.IndexOf(arguments, "-p");
            if (flag >= 0 && flag + 1 < arguments.Length && arguments[flag + 1] == portArgument)
            {
                return process;
            }

            process.Dispose();
        }

        return null;
    }
}
