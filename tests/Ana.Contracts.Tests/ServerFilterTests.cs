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

    Task<int> ScaleAsync(int value, int factor);

    Task<string> SubmitAsync(GuardedJob job);
}

public sealed record GuardedJob(string Name, int Priority);

/// <summary>
/// Server filters around a served contract: authorization, timing, short-circuit with a result, order, and the call's
/// method and typed arguments (read once, when a filter first asks; a malformed one is the usual bad_request).
/// </summary>
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

    [SuiteFact]
    public async Task An_authorization_filter_refuses_before_any_argument_is_read_so_a_malformed_one_does_not_matter()
    {
        Guarded implementation = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Filters = [new Allowlist("alice")] }));

        Reply refused = await QueryAsync(await ConnectAsync("mallory"), "guarded", "echo", """{"text":5}""");
        Reply malformed = await QueryAsync(await ConnectAsync("alice"), "guarded", "echo", """{"text":5}""");

        Assert.Equal("forbidden", refused.Error?.Code);
        Assert.Equal(AnaErrorCodes.BadRequest, malformed.Error?.Code);
        Assert.Equal(0, implementation.Calls);
    }

    [SuiteFact]
    public async Task A_filter_sees_the_contract_method_and_rejects_a_call_by_a_typed_argument_value()
    {
        ConcurrentQueue<string> seen = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(new Guarded(), new ServeOptions { Filters = [new FactorLimit(seen, max: 10)] }));
        IGuarded client = (await ConnectAsync("alice")).Client<IGuarded>();

        Assert.Equal(6, await client.ScaleAsync(2, 3));
        AnaRemoteException rejected = await Assert.ThrowsAsync<AnaRemoteException>(() => client.ScaleAsync(2, 11));
        Assert.Equal("out_of_range", rejected.Code);
        Assert.Contains("11", rejected.RemoteMessage, StringComparison.Ordinal);
        Assert.Equal(2, await client.LengthAsync("ab"));

        Assert.Equal(["IGuarded.ScaleAsync scale value,factor 2*3", "IGuarded.ScaleAsync scale value,factor 2*11", "IGuarded.LengthAsync length text"], seen.ToArray());
    }

    [SuiteFact]
    public async Task The_method_gets_the_arguments_a_filter_read_not_a_second_copy_also_when_served_per_call()
    {
        Guarded implementation = new();
        ConcurrentQueue<object?> read = new();
        AgentBus server = await ConnectAsync("guarded-1");
        ServeOptions options = new() { Filters = [new ArgumentReader(read)] };
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, options));
        _cleanup.Add(await server.ServePerCallAsync(() => new ContractLease<IGuarded>(implementation, owner: null), options with { Agent = "guarded-leased" }));
        AgentBus caller = await ConnectAsync("alice");

        Assert.Equal("report:2", await caller.Client<IGuarded>().SubmitAsync(new GuardedJob("report", 2)));
        Assert.Equal("audit:1", await caller.Client<IGuarded>("guarded-leased").SubmitAsync(new GuardedJob("audit", 1)));

        Assert.Equal(2, read.Count);
        Assert.Equal(read.ToArray(), implementation.Jobs.Cast<object?>().ToArray(), ReferenceEqualityComparer.Instance);
    }

    [SuiteFact]
    public async Task A_malformed_argument_read_by_a_filter_fails_the_call_with_bad_request_and_the_method_does_not_run()
    {
        Guarded implementation = new();
        ConcurrentQueue<object?> read = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Filters = [new ArgumentReader(read)] }));
        AgentBus caller = await ConnectAsync("alice");

        Reply reply = await QueryAsync(caller, "guarded", "length", """{"text":5}""");
        Reply missing = await QueryAsync(caller, "guarded", "scale", """{"value":5}""");

        Assert.Equal(AnaErrorCodes.BadRequest, reply.Error?.Code);
        Assert.Contains("'text'", reply.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(AnaErrorCodes.BadRequest, missing.Error?.Code);
        Assert.Contains("'factor'", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(read);
        Assert.Equal(0, implementation.Calls);
    }

    [SuiteFact]
    public async Task A_malformed_argument_that_no_filter_reads_gets_the_methods_usual_bad_request()
    {
        Guarded implementation = new();
        ConcurrentQueue<string> log = new();
        AgentBus server = await ConnectAsync("guarded-1");
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Filters = [new Timing(log, "timing")] }));
        _cleanup.Add(await server.ServeAsync<IGuarded>(implementation, new ServeOptions { Agent = "guarded-plain" }));
        AgentBus caller = await ConnectAsync("alice");

        Reply filtered = await QueryAsync(caller, "guarded", "length", """{"text":5}""");
        Reply plain = await QueryAsync(caller, "guarded-plain", "length", """{"text":5}""");

        Assert.Equal(AnaErrorCodes.BadRequest, filtered.Error?.Code);
        Assert.Equal(plain.Error?.Code, filtered.Error?.Code);
        Assert.Equal(plain.Error?.Message, filtered.Error?.Message);
        Assert.Equal(["timing>length", "timing<length bad_request"], log.ToArray());
        Assert.Equal(0, implementation.Calls);
    }

    private static async Task<Reply> QueryAsync(AgentBus caller, string agent, string topic, string data)
    {
        using JsonDocument document = JsonDocument.Parse(data);
        return await caller.QueryAndWaitAsync(agent, topic, topic, TimeSpan.FromSeconds(30), document.RootElement.Clone())
            ?? throw new TimeoutException($"No reply to {topic}.");
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

        public Task<int> ScaleAsync(int value, int factor)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(value * factor);
        }

        public Task<string> SubmitAsync(GuardedJob job)
        {
            Interlocked.Increment(ref Calls);
            Jobs.Enqueue(job);
            return Task.FromResult($"{job.Name}:{job.Priority}");
        }

        public ConcurrentQueue<string> Notes { get; } = new();

        public ConcurrentQueue<GuardedJob> Jobs { get; } = new();
    }

    /// <summary>Refuses calls whose <c>factor</c> argument is above a limit, reading it by position and by name.</summary>
    private sealed class FactorLimit(ConcurrentQueue<string> seen, int max) : IAnaServerFilter
    {
        public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
        {
            AnaCallArguments arguments = context.Arguments!;
            Assert.Same(arguments.Method, context.Method);
            Assert.Equal(typeof(IGuarded), arguments.Method.Contract);
            string names = string.Join(",", Enumerable.Range(0, arguments.Count).Select(arguments.GetName));
            if (!arguments.TryGetValue("factor", out int factor))
            {
                seen.Enqueue($"{arguments.Method} {arguments.Method.Topic} {names}");
                return continuation();
            }

            Assert.Equal(factor, arguments.GetValue<int>(arguments.IndexOf("factor")));
            Assert.Equal(factor, arguments.GetValue(1));
            seen.Enqueue($"{arguments.Method} {arguments.Method.Topic} {names} {arguments.GetValue<int>(0)}*{factor}");
            return factor <= max ? continuation() : throw new AnaException("out_of_range", $"A factor of {factor} is above {max}.");
        }
    }

    /// <summary>Reads every argument of the call before letting it through.</summary>
    private sealed class ArgumentReader(ConcurrentQueue<object?> read) : IAnaServerFilter
    {
        public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
        {
            AnaCallArguments arguments = context.Arguments!;
            object?[] values = Enumerable.Range(0, arguments.Count).Select(arguments.GetValue).ToArray();
            foreach (object? value in values)
            {
                read.Enqueue(value);
            }

            return continuation();
        }
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
