using System.Collections.Concurrent;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

/// <summary>Client filters around typed calls: observing outcomes in order, one-way calls, answering without sending.</summary>
public abstract class ClientFilterTests : IAsyncLifetime
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

    [SuiteFact]
    public async Task Client_filters_run_in_order_around_every_call_and_observe_its_outcome()
    {
        ServerFilterTests.Guarded implementation = await ServeAsync();
        ConcurrentQueue<string> log = new();
        IGuarded client = (await ConnectAsync("alice", [new Recorder(log, "outer"), new Recorder(log, "inner")])).Client<IGuarded>();

        Assert.Equal("hi", await client.EchoAsync("hi"));
        await Assert.ThrowsAsync<AnaRemoteException>(() => client.FailAsync());
        await client.NoteAsync("n");

        Assert.Equal(
            [
                "outer>echo {\"text\":\"hi\"}", "inner>echo {\"text\":\"hi\"}", "inner<echo ok", "outer<echo ok",
                "outer>fail -", "inner>fail -", "inner<fail rejected", "outer<fail rejected",
                "outer>note {\"text\":\"n\"} one-way", "inner>note {\"text\":\"n\"} one-way", "inner<note ok", "outer<note ok",
            ],
            log.ToArray());
        await WaitUntilAsync(() => implementation.Notes.Contains("n"));
    }

    [SuiteFact]
    public async Task A_client_filter_may_answer_without_sending_the_call()
    {
        ServerFilterTests.Guarded implementation = await ServeAsync();
        IGuarded client = (await ConnectAsync("alice", [new CachedLength()])).Client<IGuarded>();

        Assert.Equal(42, await client.LengthAsync("cached"));
        Assert.Equal(0, implementation.Calls);
        Assert.Equal(3, await client.LengthAsync("abc"));
        Assert.Equal(1, implementation.Calls);
    }

    [SuiteFact]
    public async Task A_client_filter_reads_the_typed_arguments_the_client_was_called_with()
    {
        ServerFilterTests.Guarded implementation = await ServeAsync();
        ConcurrentQueue<object?> seen = new();
        IGuarded client = (await ConnectAsync("alice", [new JobPolicy(seen, maxPriority: 5)])).Client<IGuarded>();
        GuardedJob report = new("report", 2);
        GuardedJob urgent = new("urgent", 9);

        Assert.Equal("report:2", await client.SubmitAsync(report));
        AnaException refused = await Assert.ThrowsAsync<AnaException>(() => client.SubmitAsync(urgent));
        Assert.Equal(12, await client.ScaleAsync(3, 4));
        await Assert.ThrowsAsync<AnaRemoteException>(() => client.FailAsync());

        Assert.Equal("too_urgent", refused.Code);
        Assert.Equal([report, urgent, 3, 4], seen.ToArray());
        Assert.Same(report, seen.First());
        Assert.Same(urgent, seen.ElementAt(1));
        Assert.Single(implementation.Jobs);
    }

    private async Task<ServerFilterTests.Guarded> ServeAsync()
    {
        ServerFilterTests.Guarded implementation = new();
        AgentBus server = await ConnectAsync("guarded-1", []);
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation));
        return implementation;
    }

    private async Task<AgentBus> ConnectAsync(string identity, IAnaClientFilter[] filters)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions
        {
            Url = Url,
            Prefix = "client-filters.fleet",
            DefaultTimeout = TimeSpan.FromSeconds(30),
            ClientFilters = filters,
        });
        _cleanup.Add(bus);
        return bus;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource bound = new(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, bound.Token);
        }
    }

    private sealed class Recorder(ConcurrentQueue<string> log, string name) : IAnaClientFilter
    {
        public async ValueTask<Reply?> InvokeAsync(AnaClientCall context, AnaClientCallNext continuation)
        {
            log.Enqueue($"{name}>{context.Topic} {context.Data?.GetRawText() ?? "-"}{(context.IsOneWay ? " one-way" : string.Empty)}");
            try
            {
                Reply? reply = await continuation();
                log.Enqueue($"{name}<{context.Topic} ok");
                return reply;
            }
            catch (AnaRemoteException exception)
            {
                log.Enqueue($"{name}<{context.Topic} {exception.Code}");
                throw;
            }
        }
    }

    private sealed class CachedLength : IAnaClientFilter
    {
        public ValueTask<Reply?> InvokeAsync(AnaClientCall context, AnaClientCallNext continuation)
            => context.Method?.Name == nameof(IGuarded.LengthAsync) && context.Arguments!.TryGetValue("text", out string? text) && text == "cached"
                ? ValueTask.FromResult<Reply?>(context.Answer(JsonDocument.Parse("42").RootElement))
                : continuation();
    }

    /// <summary>Records the typed arguments of each call, and refuses a job whose priority is above a limit without sending it.</summary>
    private sealed class JobPolicy(ConcurrentQueue<object?> seen, int maxPriority) : IAnaClientFilter
    {
        public ValueTask<Reply?> InvokeAsync(AnaClientCall context, AnaClientCallNext continuation)
        {
            AnaCallArguments arguments = context.Arguments!;
            Assert.Same(arguments.Method, context.Method);
            Assert.Equal(typeof(IGuarded), context.Method!.Contract);
            Assert.Equal(context.Topic, context.Method.Topic);
            for (int i = 0; i < arguments.Count; i++)
            {
                seen.Enqueue(arguments.GetValue(i));
            }

            return arguments.TryGetValue<GuardedJob>("job", out GuardedJob? job) && job.Priority > maxPriority
                ? throw new AnaException("too_urgent", $"{job.Name} has priority {job.Priority}.")
                : continuation();
        }
    }
}

public sealed class MemoryClientFilterTests : ClientFilterTests
{
    protected override string Url { get; } = $"memory://client-filters-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsClientFilterTests(NatsServerFixture nats) : ClientFilterTests
{
    protected override string Url => nats.Url;
}
