using System.Text.Json;
using Ana.Contracts;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Tests.Contracts;

/// <summary>The runtime side of typed contracts, through a hand-written client and dispatcher, on both transports.</summary>
public abstract class ContractRuntimeTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected abstract string Url { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = "contracts.test" });
        _cleanup.Add(bus);
        return bus;
    }

    private sealed class Calculator : ICalculator
    {
        public TaskCompletionSource<string> Notes { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<long> AddAsync(int a, long b, CancellationToken cancellationToken = default)
            => a < 0 ? throw new AnaException("negative", "a must not be negative") : Task.FromResult(a + b);

        public Task<string?> EchoAsync(string? text) => Task.FromResult(text);

        public async Task WaitAsync(int milliseconds, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(milliseconds, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WaitCancelled.TrySetResult(true);
                throw;
            }
        }

        public Task NotifyAsync(string note)
        {
            Notes.TrySetResult(note);
            return Task.CompletedTask;
        }
    }

    [SuiteFact]
    public async Task Typed_calls_round_trip()
    {
        AgentBus server = await ConnectAsync("calc-1");
        Calculator implementation = new();
        _cleanup.Add(await server.ServeAsync<ICalculator>(implementation));
        AgentBus caller = await ConnectAsync("alice");
        ICalculator calculator = caller.Client<ICalculator>();

        Assert.Equal(5_000_000_042L, await calculator.AddAsync(42, 5_000_000_000L));
        Assert.Equal("héllo \"x\"", await calculator.EchoAsync("héllo \"x\""));
        Assert.Null(await calculator.EchoAsync(null));
        // A 1 ms call under a 0.5 s deadline: it may take a few tries on a machine stalled by other test processes.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await calculator.WaitAsync(1);
                break;
            }
            catch (AnaTimeoutException) when (attempt < 5)
            {
            }
        }

        await calculator.NotifyAsync("fire and forget");
        Assert.Equal("fire and forget", await implementation.Notes.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [SuiteFact]
    public async Task Remote_errors_timeouts_and_no_responders_are_typed()
    {
        AgentBus server = await ConnectAsync("calc-1");
        Calculator implementation = new();
        _cleanup.Add(await server.ServeAsync<ICalculator>(implementation));
        AgentBus caller = await ConnectAsync("alice");
        ICalculator calculator = caller.Client<ICalculator>();

        AnaRemoteException remote = await Assert.ThrowsAsync<AnaRemoteException>(() => calculator.AddAsync(-1, 1));
        Assert.Equal(("negative", "calculator", "add", "a must not be negative"), (remote.Code, remote.Agent, remote.Topic, remote.RemoteMessage));

        // The handler would take a minute: only the 0.5 s deadline can end the call within the 30 s bound.
        AnaTimeoutException timeout = await Assert.ThrowsAsync<AnaTimeoutException>(() => calculator.WaitAsync(60_000).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsAssignableFrom<TimeoutException>(timeout);
        Assert.Equal(TimeSpan.FromSeconds(0.5), timeout.Timeout);

        // The server's work ends at the deadline: its handler's token fires; or, on a machine so loaded that the query
        // waited past its deadline before a handler slot ran it, it is dropped without running (and counted).
        using (CancellationTokenSource bound = new(TimeSpan.FromSeconds(30)))
        {
            while (!implementation.WaitCancelled.Task.IsCompleted && server.Statistics.ExpiredQueries == 0)
            {
                await Task.Delay(10, bound.Token);
            }
        }

        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calculator.WaitAsync(60_000, cts.Token));

        ICalculator nobody = caller.Client<ICalculator>("nobody-serves-this");
        await Assert.ThrowsAsync<AnaNoRespondersException>(() => nobody.AddAsync(1, 2));
    }

    [SuiteFact]
    public async Task Bad_arguments_and_unknown_topics_get_error_replies()
    {
        AgentBus server = await ConnectAsync("calc-1");
        _cleanup.Add(await server.ServeAsync<ICalculator>(new Calculator()));
        AgentBus caller = await ConnectAsync("alice");

        Reply? missing = await caller.QueryAndWaitAsync("calculator", "add", "add", TimeSpan.FromSeconds(30), JsonDocument.Parse("""{"a":1}""").RootElement);
        Reply? wrongType = await caller.QueryAndWaitAsync("calculator", "add", "add", TimeSpan.FromSeconds(30), JsonDocument.Parse("""{"a":"one","b":2}""").RootElement);
        Reply? notAnObject = await caller.QueryAndWaitAsync("calculator", "add", "add", TimeSpan.FromSeconds(30), JsonDocument.Parse("[1,2]").RootElement);
        Reply? unknown = await caller.QueryAndWaitAsync("calculator", "divide", "divide", TimeSpan.FromSeconds(30));

        Assert.Equal((AnaErrorCodes.BadRequest, "The argument 'b' is missing."), (missing!.Error!.Code, missing.Error.Message));
        Assert.Equal(AnaErrorCodes.BadRequest, wrongType!.Error!.Code);
        Assert.Contains("'a'", wrongType.Error.Message, StringComparison.Ordinal);
        Assert.Equal(AnaErrorCodes.BadRequest, notAnObject!.Error!.Code);
        Assert.Equal(AnaErrorCodes.NotFound, unknown!.Error!.Code);
    }

    [SuiteFact]
    public async Task Servers_in_one_queue_group_share_the_calls()
    {
        AgentBus caller = await ConnectAsync("alice");
        AgentBus first = await ConnectAsync("calc-1");
        AgentBus second = await ConnectAsync("calc-2");
        _cleanup.Add(await first.ServeAsync<ICalculator>(new Calculator()));
        _cleanup.Add(await second.ServeAsync<ICalculator>(new Calculator()));
        ICalculator calculator = caller.Client<ICalculator>();

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i + 1, await calculator.AddAsync(i, 1));
        }

        Assert.Equal(20, first.Statistics.Received + second.Statistics.Received);
        Assert.True(first.Statistics.Received > 0 && second.Statistics.Received > 0);
    }

    [SuiteFact]
    public async Task A_type_that_is_not_a_contract_is_refused_with_the_reason()
    {
        AgentBus bus = await ConnectAsync("alice");

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => bus.Client<IDisposable>());

        Assert.Contains("'System.IDisposable' is not an ana contract", error.Message, StringComparison.Ordinal);
        Assert.Contains("[AnaAgent", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bus.ServeAsync<IDisposable>(new MemoryStream()));
        Assert.Throws<ArgumentException>(() => bus.Client<ICalculator>("bad.agent"));
    }
}

public sealed class MemoryContractRuntimeTests : ContractRuntimeTests
{
    protected override string Url { get; } = $"memory://contracts-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsContractRuntimeTests(NatsServerFixture nats) : ContractRuntimeTests
{
    protected override string Url => nats.Url;
}
