using System.Text.Json;
using Ana.Cli.Tests.Infrastructure;
using Ana.Contracts;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;

namespace Ana.Cli.Tests;

/// <summary>A contract served by the runtime, as <c>ana describe</c> shows it and as <c>--data</c> is checked against it.</summary>
[AnaAgent("cli-orders", Version = "3.1.0")]
public partial interface IOrders
{
    Task<Receipt> PlaceAsync(Order order, CancellationToken ct = default);

    Task<int> CountAsync(string? filter = null);
}

public sealed record Order(string Item, int Quantity, IReadOnlyList<Line>? Lines = null);

public sealed record Line(string Sku, TimeSpan Window);

public sealed record Receipt(string Id, decimal Total);

public sealed class Orders : IOrders
{
    public Task<Receipt> PlaceAsync(Order order, CancellationToken ct) => Task.FromResult(new Receipt($"{order.Item}x{order.Quantity}", order.Quantity * 2.5m));

    public Task<int> CountAsync(string? filter) => Task.FromResult(filter?.Length ?? 0);
}

[Collection("nats")]
public sealed class CliDescribeTests(NatsServerFixture nats) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly string _prefix = "clidesc.t" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<IAsyncDisposable> _cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [NatsFact]
    public async Task Describe_shows_each_topic_with_its_signature_and_schemas_once_for_identical_instances()
    {
        await ServeAsync("orders-1");
        await ServeAsync("orders-2");

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("describe", "cli-orders", "--timeout", "2"));

        Assert.True(result.ExitCode == 0, result.ToString());
        string text = string.Join('\n', result.StdoutLines);
        Assert.Contains("cli-orders: Ana.Cli.Tests.IOrders 3.1.0, 2 instances (", text, StringComparison.Ordinal);
        Assert.Contains("place: Task<Receipt> PlaceAsync(Order order, CancellationToken ct = default)", text, StringComparison.Ordinal);
        Assert.Contains($"  subject    {_prefix}.cli-orders.query.place (queue group cli-orders)", text, StringComparison.Ordinal);
        string arguments = Assert.Single(result.StdoutLines, l => l.StartsWith("  arguments", StringComparison.Ordinal) && l.Contains("\"order\"", StringComparison.Ordinal));
        using JsonDocument schema = JsonDocument.Parse(arguments["  arguments".Length..].Trim());
        Assert.Equal(["order"], schema.RootElement.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("count: Task<int> CountAsync(string? filter = null)", StringComparison.Ordinal));
    }

    [NatsFact]
    public async Task Describe_json_prints_one_object_per_instance_with_the_schemas_as_json()
    {
        await ServeAsync("orders-1");

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("describe", "cli-orders", "--json", "--timeout", "2"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument instance = JsonDocument.Parse(Assert.Single(result.StdoutLines));
        JsonElement root = instance.RootElement;
        Assert.Equal(("cli-orders", "cli-orders", "3.1.0", "Ana.Cli.Tests.IOrders"), (root.GetProperty("agent").GetString(), root.GetProperty("service").GetString(), root.GetProperty("version").GetString(), root.GetProperty("contract").GetString()));
        JsonElement place = root.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "place");
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", place.GetProperty("arguments_schema").GetProperty("$schema").GetString());
        Assert.Equal("#/$defs/Receipt", place.GetProperty("result_schema").GetProperty("$ref").GetString());
        Assert.Equal(JsonValueKind.Null, place.GetProperty("progress_schema").ValueKind);
    }

    [NatsFact]
    public async Task Describe_of_an_agent_nobody_serves_exits_1()
    {
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("describe", "cli-nobody", "--timeout", "0.5"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StdoutLines);
        Assert.Contains("no instance of 'cli-nobody' answered", result.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Probe_refuses_data_that_does_not_fit_the_topics_schema_naming_where_and_sends_nothing()
    {
        AgentSubscription served = await ServeAsync("orders-1");

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "probe", "cli-orders", "--topic", "place", "--data", """{"order":{"item":"tea","quantity":2,"lines":[{"sku":"t1","window":true}]}}"""));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Empty(result.StdoutLines);
        Assert.Contains("--data does not fit the arguments of 'cli-orders' topic 'place'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("at /order/lines/0/window", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", result.Stderr, StringComparison.Ordinal);

        ProcessResult missing = await AnaCli.RunAsync(RunTimeout, Args("--identity", "caller", "probe", "cli-orders", "--topic", "place", "--data", """{"order":{"quantity":2}}"""));
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("at /order", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("item", missing.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Probe_sends_data_that_fits_and_with_no_validate_what_does_not()
    {
        await ServeAsync("orders-1");

        ProcessResult fits = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "probe", "cli-orders", "--topic", "place", "--data", """{"order":{"item":"tea","quantity":2,"lines":[{"sku":"t1","window":"PT5M"}]}}"""));
        Assert.True(fits.ExitCode == 0, fits.ToString());
        using (JsonDocument reply = JsonDocument.Parse(Assert.Single(fits.StdoutLines)))
        {
            Assert.Equal("teax2", reply.RootElement.GetProperty("data").GetProperty("id").GetString());
        }

        // Unchecked, the agent itself refuses it: the schema said no more than the dispatcher does.
        ProcessResult unvalidated = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "probe", "cli-orders", "--topic", "place", "--no-validate", "--data", """{"order":{"item":"tea","quantity":"two"}}"""));
        Assert.True(unvalidated.ExitCode == 5, unvalidated.ToString());
        Assert.Contains("bad_request", unvalidated.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Send_query_to_a_topic_the_agent_does_not_list_warns_and_sends()
    {
        await ServeAsync("orders-1");

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "send", "query", "--to", "cli-orders", "--topic", "refund", "--data", """{"id":1}"""));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("'cli-orders' does not list the topic 'refund' (it serves: place, count)", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.StdoutLines);
    }

    private async Task<AgentSubscription> ServeAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = nats.Url, Prefix = _prefix });
        _cleanup.Add(bus);
        AgentSubscription served = await bus.ServeAsync<IOrders>(new Orders(), new ServeOptions { Announce = false });
        _cleanup.Add(served);
        return served;
    }

    private string[] Args(params string[] rest) => ["--nats", nats.Url, "--prefix", _prefix, .. rest];
}
