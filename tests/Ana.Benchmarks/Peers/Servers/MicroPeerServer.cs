using Ana.Benchmarks.Contract;
using NATS.Client.Core;
using NATS.Client.Services;

namespace Ana.Benchmarks.Peers.Servers;

/// <summary>
/// A NATS micro service (NATS.Client.Services) with one endpoint per handler and the System.Text.Json generator's
/// serializer: what a .NET user of NATS picks for typed services today. Each endpoint runs its handler one request at a time.
/// </summary>
internal sealed class MicroPeerServer(NatsConnection connection, INatsSvcServer service) : IPeerServer
{
    private static readonly NatsJsonContextSerializer<Reading> Serializer = new(ReferenceJsonContext.Default);

    public string Address => "";

    public static async Task<IPeerServer> StartAsync(string natsUrl)
    {
        NatsConnection connection = new(NatsOpts.Default with { Url = natsUrl, Name = "bench-peer-micro" });
        await connection.ConnectAsync();
        INatsSvcServer service = await new NatsSvcContext(connection).AddServiceAsync(new NatsSvcConfig(PeerSubjects.MicroService, "1.0.0"));
        await service.AddEndpointAsync<Reading>(
            msg => msg.ReplyAsync(msg.Data!, serializer: Serializer), name: "echo", subject: PeerSubjects.MicroEcho, serializer: Serializer);
        await service.AddEndpointAsync<Reading>(
            EchoAfterWaitAsync, name: "echo_after_wait", subject: PeerSubjects.MicroEchoAfterWait, serializer: Serializer);
        await connection.PingAsync();
        return new MicroPeerServer(connection, service);
    }

    public async ValueTask DisposeAsync()
    {
        await service.StopAsync();
        await connection.DisposeAsync();
    }

    private static async ValueTask EchoAfterWaitAsync(NatsSvcMsg<Reading> msg)
    {
        await Task.Delay(Bench.Wait);
        await msg.ReplyAsync(msg.Data!, serializer: Serializer);
    }
}
