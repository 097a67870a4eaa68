using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

/// <summary>
/// A generated contract's implementation sees its call (issue 11, item 6), answers the bare query subject as its
/// <c>default</c> topic (item 7), and ServeAsync announces what it serves (item 12), on each transport.
/// </summary>
public abstract class CallContextTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected abstract string Url { get; }

    private AgentBusOptions Options => new() { Url = Url, Prefix = "ctx.fleet" };

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
        AgentBus bus = await AgentBus.ConnectAsync(identity, Options);
        _cleanup.Add(bus);
        return bus;
    }

    [SuiteFact]
    public async Task The_implementation_sees_each_callers_identity_request_id_topic_and_deadline()
    {
        AgentBus server = await ConnectAsync("who-1");
        _cleanup.Add(await server.ServeAsync<IWhoAmI>(new WhoAmI()));
        IWhoAmI alice = (await ConnectAsync("alice")).Client<IWhoAmI>();
        IWhoAmI carol = (await ConnectAsync("carol")).Client<IWhoAmI>();

        DateTimeOffset before = DateTimeOffset.UtcNow;
        Task<CallSeen>[] calls = [.. Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? alice : carol).WhoAsync($"call {i}"))];
        CallSeen[] seen = await Task.WhenAll(calls).WaitAsync(Patience);
        DateTimeOffset after = DateTimeOffset.UtcNow;

        for (int i = 0; i < seen.Length; i++)
        {
            CallSeen call = seen[i];
            Assert.Equal($"call {i}", call.Note);
            Assert.Equal(i % 2 == 0 ? "alice" : "carol", call.From);
            Assert.Equal("who", call.Topic);
            Assert.Equal("whoami", call.Agent);
            Assert.Equal("ctx.fleet.whoami.query.who", call.Subject);
            Assert.NotNull(call.Deadline);
            Assert.InRange(call.Deadline.Value, before + TimeSpan.FromSeconds(19), after + TimeSpan.FromSeconds(21));
            Assert.True(call.SameToken, "the context's token is the one the method was given");
            Assert.True(call.SeenAfterAwait, "the context is the method's own after an await, with 16 calls in flight");
        }

        Assert.Equal(16, seen.Select(s => s.RequestId).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(16, s.RequestId?.Length));
        Assert.Null(AnaCallContext.Current);
    }

    [SuiteFact]
    public async Task A_query_without_a_topic_is_answered_by_the_default_topic()
    {
        AgentBus server = await ConnectAsync("who-1");
        _cleanup.Add(await server.ServeAsync<IWhoAmI>(new WhoAmI()));
        AgentBus caller = await ConnectAsync("py-peer");
        TaskCompletionSource<Reply> answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _cleanup.Add(await caller.SubscribeAsync("ctx.fleet.whoami.reply", (envelope, _) =>
        {
            answered.TrySetResult(Assert.IsType<Reply>(envelope));
            return default;
        }));

        // A plain query on the bare subject, no reply-to: the reply goes to the bare reply subject.
        await caller.PublishAsync("ctx.fleet.whoami.query", new Query { From = "py-peer", To = "whoami", Text = "status?", RequestId = "r-1", Ts = DateTimeOffset.UtcNow });

        Reply reply = await answered.Task.WaitAsync(Patience);
        Assert.Null(reply.Error);
        Assert.Equal("r-1", reply.RequestId);
        Assert.Equal("ctx.fleet.whoami.query", reply.ReplyFor);
        Assert.Equal("default topic, asked by py-peer on ctx.fleet.whoami.query", reply.Data?.GetString());
    }

    [SuiteFact]
    public async Task Serving_announces_the_agent_and_topics_served_so_that_discovery_and_probing_agree()
    {
        AgentBus observer = await ConnectAsync("observer");
        System.Threading.Channels.Channel<Discovery> discoveries = System.Threading.Channels.Channel.CreateUnbounded<Discovery>();
        _cleanup.Add(await observer.SubscribeAsync("ctx.fleet.*.discovery", (envelope, _) =>
        {
            discoveries.Writer.TryWrite(Assert.IsType<Discovery>(envelope));
            return default;
        }));
        AgentBus server = await ConnectAsync("planner-1");

        AgentSubscription serving = await server.ServeAsync<IWhoAmI>(new WhoAmI());
        Discovery announced = await discoveries.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal("planner-1", announced.From);
        ServedAgent served = Assert.Single(announced.Serves!);
        Assert.Equal("whoami", served.Agent);
        Assert.Equal(["who", "default"], served.Topics);
        Assert.Equal(["ctx.fleet.planner-1.>", "ctx.fleet.whoami.query", "ctx.fleet.whoami.query.>"], announced.SubjectsOwned);

        // A probe of what was announced is answered.
        Reply? probe = await observer.QueryAndWaitAsync(served.Agent, "who", served.Topics![0], Patience, System.Text.Json.JsonDocument.Parse("""{"note":"probe"}""").RootElement);
        Assert.Null(probe?.Error);

        // Later announcements say the same while serving, and nothing once stopped.
        await server.AnnounceDiscoveryAsync(role: "planner");
        Discovery again = await discoveries.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("planner", again.Role);
        Assert.Equal("whoami", Assert.Single(again.Serves!).Agent);
        await serving.DisposeAsync();
        await server.AnnounceDiscoveryAsync();
        Discovery stopped = await discoveries.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Null(stopped.Serves);
        Assert.Equal(["ctx.fleet.planner-1.>"], stopped.SubjectsOwned);
    }
}

public sealed class MemoryCallContextTests : CallContextTests
{
    protected override string Url { get; } = $"memory://ctx-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsCallContextTests(NatsServerFixture nats) : CallContextTests
{
    protected override string Url => nats.Url;
}
