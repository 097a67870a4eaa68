using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

/// <summary>A generated contract with streaming methods (issue 13, section 1), served and called over each transport.</summary>
public abstract class StreamingContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly Writer _writer = new();

    protected abstract string Url { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    private async Task<IWriter> StartAsync()
    {
        AgentBusOptions options = new() { Url = Url, Prefix = "stream.fleet" };
        AgentBus server = await AgentBus.ConnectAsync("writer-1", options);
        _cleanup.Add(server);
        _cleanup.Add(await server.ServeAsync<IWriter>(_writer));
        AgentBus caller = await AgentBus.ConnectAsync("alice", options);
        _cleanup.Add(caller);
        return caller.Client<IWriter>();
    }

    [SuiteFact]
    public async Task Items_arrive_typed_and_in_order()
    {
        IWriter writer = await StartAsync();

        List<Token> tokens = [];
        await foreach (Token token in writer.DraftAsync("a haiku about NATS subjects and queues"))
        {
            tokens.Add(token);
        }

        Assert.Equal(["a", "haiku", "about", "NATS", "subjects", "and", "queues"], tokens.Select(t => t.Text));
        Assert.Equal(Enumerable.Range(0, 7), tokens.Select(t => t.Index));
    }

    [SuiteFact]
    public async Task Breaking_out_of_the_loop_cancels_the_servers_iterator()
    {
        IWriter writer = await StartAsync();

        await foreach (int tick in writer.TicksAsync())
        {
            if (tick == 10)
            {
                break;
            }
        }

        await WaitUntilAsync(() => _writer.Finished == 1);
        Assert.Equal(1, _writer.Cancelled);
    }

    [SuiteFact]
    public async Task A_token_given_with_WithCancellation_is_honoured_as_well_as_the_argument()
    {
        IWriter writer = await StartAsync();
        using CancellationTokenSource argument = new();
        using CancellationTokenSource withCancellation = new();

        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int tick in writer.TicksAsync(argument.Token).WithCancellation(withCancellation.Token))
            {
                if (++seen == 5)
                {
                    await withCancellation.CancelAsync();
                }
            }
        });
        await WaitUntilAsync(() => _writer.Finished == 1);

        seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int tick in writer.TicksAsync(argument.Token))
            {
                if (++seen == 5)
                {
                    await argument.CancelAsync();
                }
            }
        });
        await WaitUntilAsync(() => _writer.Finished == 2);
        Assert.Equal(2, _writer.Cancelled);
    }

    [SuiteFact]
    public async Task An_exception_of_the_iterator_reaches_the_caller_typed_after_the_items()
    {
        IWriter writer = await StartAsync();

        List<int> items = [];
        AnaRemoteException error = await Assert.ThrowsAsync<AnaRemoteException>(async () =>
        {
            await foreach (int item in writer.FailAfterAsync(3))
            {
                items.Add(item);
            }
        });

        Assert.Equal([1, 2, 3], items);
        Assert.Equal("out_of_ink", error.Code);
        Assert.Equal("The writer ran dry.", error.RemoteMessage);
    }

    [SuiteFact]
    public async Task A_null_item_where_the_contract_says_none_fails_the_stream()
    {
        IWriter writer = await StartAsync();

        List<string> items = [];
        AnaRemoteException error = await Assert.ThrowsAsync<AnaRemoteException>(async () =>
        {
            await foreach (string item in writer.NullItemAsync())
            {
                items.Add(item);
            }
        });

        Assert.Equal(["one"], items);
        Assert.Equal(AnaErrorCodes.BadResponse, error.Code);
    }

    [SuiteFact]
    public async Task A_stream_slower_than_its_heartbeat_deadline_stays_alive_on_heartbeats()
    {
        IWriter writer = await StartAsync();

        // An item every 4 s against a deadline of 3 s: only the agent's heartbeats (every 1 s) keep it going. (With 1.5 s
        // and heartbeats every 0.5 s, a loaded CI machine once stalled the heartbeats past the deadline.)
        List<int> items = [];
        await foreach (int item in writer.SlowAsync(2, 4000))
        {
            items.Add(item);
        }

        Assert.Equal([1, 2], items);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource patience = new(Patience);
        while (!condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }
}

public sealed class MemoryStreamingContractTests : StreamingContractTests
{
    protected override string Url { get; } = $"memory://stream-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsStreamingContractTests(NatsServerFixture nats, Xunit.Abstractions.ITestOutputHelper output) : StreamingContractTests
{
    protected override string Url => nats.Url;

    /// <summary>
    /// A server that dies mid-stream (a raw subscriber that sends two items and then nothing, as a killed process would)
    /// ends the caller's enumeration with the idle <see cref="AnaTimeoutException"/> after the heartbeat deadline, not a
    /// hang, though the stream's timeout is ten minutes.
    /// </summary>
    [NatsFact]
    public async Task A_server_that_dies_mid_stream_ends_the_enumeration_after_the_heartbeat_deadline()
    {
        await using AgentBus caller = await AgentBus.ConnectAsync("alice", new AgentBusOptions { Url = Url, Prefix = "stream.fleet" });
        await using NATS.Client.Core.NatsConnection dying = new(new NATS.Client.Core.NatsOpts { Url = Url });
        await using NATS.Client.Core.INatsSub<byte[]> worker = await dying.SubscribeCoreAsync<byte[]>("stream.fleet.writer.query.slow");
        _ = Task.Run(async () =>
        {
            await foreach (NATS.Client.Core.NatsMsg<byte[]> message in worker.Msgs.ReadAllAsync())
            {
                Query query = (Query)EnvelopeSerializer.Parse(message.Data);
                for (long sequence = 1; sequence <= 2; sequence++)
                {
                    Reply item = new()
                    {
                        From = "writer",
                        Ts = DateTimeOffset.UtcNow,
                        ReplyFor = message.Subject,
                        RequestId = query.RequestId,
                        Data = System.Text.Json.JsonDocument.Parse(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)).RootElement.Clone(),
                        Sequence = sequence,
                    };
                    await dying.PublishAsync(message.ReplyTo!, System.Text.Encoding.UTF8.GetBytes(EnvelopeSerializer.Serialize(item)));
                }
            }
        });
        await dying.PingAsync();

        List<int> items = [];
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
        AnaTimeoutException timeout = await Assert.ThrowsAsync<AnaTimeoutException>(async () =>
        {
            await foreach (int item in caller.Client<IWriter>().SlowAsync(100, 10))
            {
                items.Add(item);
            }
        });

        Assert.Equal([1, 2], items);
        Assert.True(timeout.IsIdle);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
        output.WriteLine($"a server silent after two items was noticed {watch.ElapsedMilliseconds} ms after the stream began (heartbeat deadline 3,000 ms, timeout 600 s)");
    }
}
