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
public sealed class NatsStreamingContractTests(NatsServerFixture nats) : StreamingContractTests
{
    protected override string Url => nats.Url;
}
