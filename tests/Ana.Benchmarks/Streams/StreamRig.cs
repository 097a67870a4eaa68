using Ana.Benchmarks.Contract;
using Ana.Contracts;
using Ana.Testing.Nats;

namespace Ana.Benchmarks.Streams;

/// <summary>
/// What the stream figures run on: one nats-server, the generated <see cref="IStreamBench"/> server on a bus of its own
/// and a client on another, in this process.
/// </summary>
internal sealed class StreamRig : IAsyncDisposable
{
    private readonly NatsServer _server;
    private readonly AgentBus _serverBus;
    private readonly AgentSubscription _serving;
    private readonly AgentBus _callerBus;

    private StreamRig(NatsServer server, AgentBus serverBus, AgentSubscription serving, AgentBus callerBus)
    {
        _server = server;
        _serverBus = serverBus;
        _serving = serving;
        _callerBus = callerBus;
        Client = callerBus.Client<IStreamBench>();
    }

    /// <summary>The server's URL, for raw NATS connections to the same server.</summary>
    public string Url => _server.Url;

    public IStreamBench Client { get; }

    public static async Task<StreamRig> StartAsync(CancellationToken cancellationToken)
    {
        NatsServer server = await NatsServer.StartAsync([], cancellationToken);
        AgentBusOptions options = new() { Url = server.Url, Prefix = "bench.streams", DefaultTimeout = TimeSpan.FromMinutes(5) };
        AgentBus serverBus = await AgentBus.ConnectAsync("stream-bench-server", options, cancellationToken);
        AgentSubscription serving = await serverBus.ServeAsync<IStreamBench>(new StreamBench(), new ServeOptions { MaxConcurrency = 64 }, cancellationToken);
        AgentBus callerBus = await AgentBus.ConnectAsync("stream-bench-caller", options, cancellationToken);
        return new StreamRig(server, serverBus, serving, callerBus);
    }

    public async ValueTask DisposeAsync()
    {
        await _callerBus.DisposeAsync();
        await _serving.DisposeAsync();
        await _serverBus.DisposeAsync();
        await _server.DisposeAsync();
    }
}
