using Ana.Benchmarks.Contract;
using Ana.Contracts;

namespace Ana.Benchmarks.Peers.Servers;

/// <summary>The generated <see cref="IBench"/> dispatcher on a bus with default options, as a user would serve the contract.</summary>
internal sealed class AnaPeerServer(AgentBus bus, AgentSubscription subscription) : IPeerServer
{
    public string Address => "";

    public static async Task<IPeerServer> StartAsync(string natsUrl)
    {
        AgentBus bus = await AgentBus.ConnectAsync("bench-peer-server", new AgentBusOptions { Url = natsUrl, Prefix = PeerSubjects.AnaPrefix });
        AgentSubscription subscription = await bus.ServeAsync<IBench>(new Bench(), new ServeOptions { Agent = PeerSubjects.AnaAgent });
        return new AnaPeerServer(bus, subscription);
    }

    public async ValueTask DisposeAsync()
    {
        await subscription.DisposeAsync();
        await bus.DisposeAsync();
    }
}
