using System.Diagnostics;
using Ana.Testing.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// What the durable tests share: a nats-server of the test's own with JetStream and file storage, a prefix of the test's
/// own, a short ack wait (2 s) and call deadlines well above it; buses and servers disposed at the end.
/// </summary>
public abstract class DurableTestsBase : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected string Prefix { get; } = "dur.s" + Guid.NewGuid().ToString("N")[..8];

    protected JetStreamServer Server { get; private set; } = null!;

    protected DurableOptions Durable { get; init; } = new() { AckWait = TimeSpan.FromSeconds(2) };

    public async Task InitializeAsync() => Server = await JetStreamServer.StartAsync();

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    protected async Task<AgentBus> ConnectAsync(string identity, DurableOptions? durable = null)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Server.Url, Prefix = Prefix, Durable = durable ?? Durable });
        _cleanup.Add(bus);
        return bus;
    }

    protected async Task<AgentBus> ServeAsync(string identity, Indexer indexer, ServeOptions? options = null, DurableOptions? durable = null)
    {
        AgentBus bus = await ConnectAsync(identity, durable);
        _cleanup.Add(await bus.ServeAsync<IIndexer>(indexer, options));
        return bus;
    }

    /// <summary>The work stream and consumers, as a server of the agent leaves them: what makes storing possible before any server runs.</summary>
    protected async Task CreateWorkStreamAsync(DurableOptions? durable = null)
    {
        await using AgentBus server = await AgentBus.ConnectAsync("setup", new AgentBusOptions { Url = Server.Url, Prefix = Prefix, Durable = durable ?? Durable });
        await using AgentSubscription served = await server.ServeAsync<IIndexer>(new Indexer("setup"));
    }

    /// <summary>The topic's consumer (found by its filter subject) holds nothing: no message waiting, none delivered and not yet acknowledged.</summary>
    protected async Task AssertNothingPendingAsync(string topic)
    {
        await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
        NatsJSContext js = new(nats);
        string stream = "ANA_WORK_" + Prefix.Replace('.', '_');
        string filter = $"{Prefix}.indexer.work.{topic}";
        ConsumerInfo info = default!;
        await WaitUntilAsync(async () =>
        {
            await foreach (INatsJSConsumer consumer in js.ListConsumersAsync(stream))
            {
                if (consumer.Info.Config.FilterSubject == filter)
                {
                    info = consumer.Info;
                }
            }

            return info is { NumPending: 0, NumAckPending: 0 };
        });
        Assert.Equal((0UL, 0L, filter), (info.NumPending, info.NumAckPending, info.Config.Description));
    }

    protected static Task WaitUntilAsync(Func<bool> condition, TimeSpan? within = null)
        => WaitUntilAsync(() => Task.FromResult(condition()), within);

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        Stopwatch watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (within ?? Bound))
            {
                throw new TimeoutException($"The condition did not hold within {(within ?? Bound).TotalSeconds:0} s.");
            }

            await Task.Delay(50);
        }
    }
}
