using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests.Inheritance;

public interface IHealth
{
    Task<bool> HealthyAsync(CancellationToken ct = default);
}

[AnaAgent("inh-assistant")]
public partial interface IAssistant : IHealth
{
    Task<string> AskAsync(string question, CancellationToken ct = default);
}

[AnaAgent("inh-planner")]
public partial interface IPlanner : IAssistant
{
    Task<string[]> PlanAsync(string goal, CancellationToken ct = default);
}

/// <summary>A contract that extends another: it serves the base's topics too, under its own agent name.</summary>
public abstract class ContractInheritanceTests : IAsyncLifetime
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
    public async Task A_derived_contract_serves_its_own_and_its_bases_topics_under_its_agent_name()
    {
        AgentBusOptions options = new() { Url = Url, Prefix = "inh.fleet" };
        AgentBus server = await AgentBus.ConnectAsync("planner-1", options);
        _cleanup.Add(server);
        _cleanup.Add(await server.ServeAsync<IPlanner>(new Planner()));
        AgentBus caller = await AgentBus.ConnectAsync("alice", options);
        _cleanup.Add(caller);

        IPlanner planner = caller.Client<IPlanner>();
        Assert.Equal(["plan:ship"], await planner.PlanAsync("ship"));
        Assert.Equal("planner answers: why?", await planner.AskAsync("why?"));
        Assert.True(await planner.HealthyAsync());

        // A client of the base contract reaches the derived server when it is told the derived agent's name.
        IAssistant assistant = caller.Client<IAssistant>("inh-planner");
        Assert.Equal("planner answers: how?", await assistant.AskAsync("how?"));

        // The base contract's own agent name is not served by the derived server.
        await Assert.ThrowsAsync<AnaNoRespondersException>(() => caller.Client<IAssistant>().AskAsync("anyone?"));
    }

    private sealed class Planner : IPlanner
    {
        public Task<string[]> PlanAsync(string goal, CancellationToken ct) => Task.FromResult(new[] { "plan:" + goal });

        public Task<string> AskAsync(string question, CancellationToken ct) => Task.FromResult("planner answers: " + question);

        public Task<bool> HealthyAsync(CancellationToken ct) => Task.FromResult(true);
    }
}

public sealed class MemoryContractInheritanceTests : ContractInheritanceTests
{
    protected override string Url { get; } = $"memory://inh-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsContractInheritanceTests(NatsServerFixture nats) : ContractInheritanceTests
{
    protected override string Url => nats.Url;
}
