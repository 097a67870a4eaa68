using Ana.Benchmarks.Contract;
using NATS.Client.Core;

namespace Ana.Benchmarks.Peers.Servers;

/// <summary>
/// The hand-written NATS responders a user would write without Ana: one that replies in its receive loop (the wire
/// benchmark's baseline), and one that starts each reply after an await on its own, since a loop that awaited 1 ms per
/// message would serve one at a time.
/// </summary>
internal sealed class RawNatsPeerServer : IPeerServer
{
    private static readonly NatsJsonContextSerializer<Reading> Serializer = new(ReferenceJsonContext.Default);
    private readonly NatsConnection _connection;
    private readonly INatsSub<Reading> _echo;
    private readonly INatsSub<Reading> _echoAfterWait;
    private readonly Task _loops;

    private RawNatsPeerServer(NatsConnection connection, INatsSub<Reading> echo, INatsSub<Reading> echoAfterWait)
    {
        _connection = connection;
        _echo = echo;
        _echoAfterWait = echoAfterWait;
        _loops = Task.WhenAll(EchoLoopAsync(echo), EchoAfterWaitLoopAsync(echoAfterWait));
    }

    public string Address => "";

    public static async Task<IPeerServer> StartAsync(string natsUrl)
    {
        NatsConnection connection = new(NatsOpts.Default with { Url = natsUrl, Name = "bench-peer-raw" });
        await connection.ConnectAsync();
        INatsSub<Reading> echo = await connection.SubscribeCoreAsync(PeerSubjects.RawEcho, serializer: Serializer);
        INatsSub<Reading> echoAfterWait = await connection.SubscribeCoreAsync(PeerSubjects.RawEchoAfterWait, serializer: Serializer);
        await connection.PingAsync();
        return new RawNatsPeerServer(connection, echo, echoAfterWait);
    }

    public async ValueTask DisposeAsync()
    {
        await _echo.UnsubscribeAsync();
        await _echoAfterWait.UnsubscribeAsync();
        await _loops;
        await _connection.DisposeAsync();
    }

    private static async Task EchoLoopAsync(INatsSub<Reading> subscription)
    {
        await foreach (NatsMsg<Reading> msg in subscription.Msgs.ReadAllAsync())
        {
            await msg.ReplyAsync(msg.Data!, serializer: Serializer);
        }
    }

    private static async Task EchoAfterWaitLoopAsync(INatsSub<Reading> subscription)
    {
        await foreach (NatsMsg<Reading> msg in subscription.Msgs.ReadAllAsync())
        {
            _ = ReplyAfterWaitAsync(msg);
        }
    }

    private static async Task ReplyAfterWaitAsync(NatsMsg<Reading> msg)
    {
        await Task.Delay(Bench.Wait);
        await msg.ReplyAsync(msg.Data!, serializer: Serializer);
    }
}
