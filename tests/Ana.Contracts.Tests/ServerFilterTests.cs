using System.Collections.Concurrent;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

[AnaAgent("guarded")]
public partial interface IGuarded
{
    Task<string> EchoAsync(string text, CancellationToken ct = default);

    Task<int> LengthAsync(string text);

    Task FailAsync();

    [AnaOneWay]
    Task NoteAsync(string text);
}

/// <summary>Server filters around a served contract: authorization, timing, short-circuit with a result, order.</summary>
public abstract class ServerFilterTests : IAsyncLifetime
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
    public async Task An_authorization_filter_refuses_callers_off_its_list_with_forbidden_and_the_method_does_not_run()
    {
        Guarded implementation = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Filters = [new Allowlist("alice")] }));

        IGuarded asAlice = (await ConnectAsync("alice")).Client<IGuarded>();
        IGuarded asMallory = (await ConnectAsync("mallory")).Client<IGuarded>();

        Assert.Equal("hi", await asAlice.EchoAsync("hi"));
        AnaRemoteException refused = await Assert.ThrowsAsync<AnaRemoteException>(() => asMallory.EchoAsync("hi"));
        Assert.Equal("forbidden", refused.Code);
        Assert.Contains("mallory", refused.RemoteMessage, StringComparison.Ordinal);
        Assert.Equal(1, implementation.Calls);
    }

    [SuiteFact]
    public async Task A_timing_filter_observes_every_outcome_and_filters_run_in_order_around_the_call()
    {
        ConcurrentQueue<string> log = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(new Guarded(), new ServeOptions { Filters = [new Timing(log, "outer"), new Timing(log, "inner")] }));
        IGuarded client = (await ConnectAsync("alice")).Client<IGuarded>();

        Assert.Equal(2, await client.LengthAsync("ab"));
        await Assert.ThrowsAsync<AnaRemoteException>(() => client.FailAsync());

        Assert.Equal(
            ["outer>length", "inner>length", "inner<length ok", "outer<length ok", "outer>fail", "inner>fail", "inner<fail rejected", "outer<fail rejected"],
            log.ToArray());
    }

    [SuiteFact]
    public async Task A_filter_may_answer_with_a_result_instead_of_the_method()
    {
        Guarded implementation = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Filters = [new CachedLength()] }));
        IGuarded client = (await ConnectAsync("alice")).Client<IGuarded>();

        Assert.Equal(42, await client.LengthAsync("cached"));
        Assert.Equal(3, await client.LengthAsync("abc"));
        Assert.Equal(1, implementation.Calls);
    }

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = "filters.fleet", DefaultTimeout = TimeSpan.FromSeconds(30) });
        _cleanup.Add(bus);
        return bus;
    }

    internal sealed class Guarded : IGuarded
    {
        public int Calls;

        public Task<string> EchoAsync(string text, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(text);
        }

        public Task<int> LengthAsync(string text)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(text.Length);
        }

        public Task FailAsync() => throw new AnaException("rejected", "no");

        public Task NoteAsync(string text)
        {
            Notes.Enqueue(text);
            return Task.CompletedTask;
        }

        public ConcurrentQueue<string> Notes { get; } = new();
    }

    private sealed class Allowlist(params string[] callers) : IAnaServerFilter
    {
        public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
            => callers.Contains(context.From) ? continuation() : throw new AnaException("forbidden", $"{context.From} may not call {context.Topic}.");
    }

    private sealed class Timing(ConcurrentQueue<string> log, string name) : IAnaServerFilter
    {
        public async ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
        {
            Assert.Same(context, AnaCallContext.Current);
            log.Enqueue($"{name}>{context.Topic}");
            try
            {
                await continuation();
                log.Enqueue($"{name}<{context.Topic} ok");
            }
            catch (AnaException exception)
            {
                log.Enqueue($"{name}<{context.Topic} {exception.Code}");
                throw;
            }
        }
    }

    private sealed class CachedLength : IAnaServerFilter
    {
        public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
            => context.Query.Data is { } data && data.GetProperty("text").GetString() == "cached"
                ? context.ReplyAsync(JsonDocument.Parse("42").RootElement)
                : continuation();
    }
}

public sealed class MemoryServerFilterTests : ServerFilterTests
{
    protected override string Url { get; } = $"memory://filters-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsServerFilterTests(NatsServerFixture nats) : ServerFilterTests
{
    protected override string Url => nats.Url;
}
