using System.Text;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;

namespace Ana.Contracts.Tests.Micro;

/// <summary>
/// <see cref="AgentBus.DescribeAsync"/> over each transport: every instance of an agent describes its contract, topics,
/// signatures and schemas; another agent sharing the service name, and anything that is no INFO response, is skipped.
/// </summary>
public abstract class DescribeTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _agent = "describe-" + Guid.NewGuid().ToString("N")[..8];

    protected abstract string Url { get; }

    private AgentBus Caller { get; set; } = null!;

    public async Task InitializeAsync() => Caller = await ConnectAsync("caller");

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [SuiteFact]
    public async Task Every_instance_describes_its_topics_with_signatures_and_schemas()
    {
        await ServeAsync("stock-1", _agent);
        await ServeAsync("stock-2", _agent);

        List<AgentDescription> instances = [];
        await foreach (AgentDescription instance in Caller.DescribeAsync(_agent, TimeSpan.FromSeconds(2)))
        {
            instances.Add(instance);
        }

        Assert.Equal(2, instances.Count);
        Assert.NotEqual(instances[0].Id, instances[1].Id);
        foreach (AgentDescription instance in instances)
        {
            Assert.Equal((_agent, _agent, "1.2.0-beta.1+abc123", "Ana.Contracts.Tests.Micro.IStock"), (instance.Agent, instance.Service, instance.Version, instance.Contract));
            Assert.Null(instance.Omitted);
            Assert.Equal(["level", "orders.place", "refuse", "note"], instance.Topics.Select(t => t.Topic));
            TopicDescription place = instance.Topics[1];
            Assert.Equal($"describe.{_agent}.query.orders.place", place.Subject);
            Assert.Equal(_agent, place.QueueGroup);
            Assert.Equal("Task<string> PlaceAsync(string item, int quantity = 1)", place.Signature);
            Assert.Contains("\"required\":[\"item\"]", place.ArgumentsSchema, StringComparison.Ordinal);
            Assert.Equal("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"IStock.PlaceAsync: result\",\"type\":\"string\"}", place.ResultSchema);
            Assert.Null(instance.Topics[3].ResultSchema);
        }
    }

    [SuiteFact]
    public async Task Breaking_out_at_the_first_answer_does_not_wait_for_the_others()
    {
        await ServeAsync("stock-1", _agent);

        AgentDescription? first = null;
        System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();
        await foreach (AgentDescription instance in Caller.DescribeAsync(_agent, TimeSpan.FromMinutes(5)))
        {
            first = instance;
            break;
        }

        Assert.NotNull(first);
        Assert.True(elapsed.Elapsed < TimeSpan.FromMinutes(1), $"{elapsed.Elapsed}");
    }

    [SuiteFact]
    public async Task Another_agent_with_the_same_service_name_is_skipped()
    {
        // "x@eu" and "x_eu" are both the service "x_eu".
        string mapped = _agent + "_eu";
        await ServeAsync("other", _agent + "@eu");
        await ServeAsync("real", mapped);

        List<AgentDescription> instances = [];
        await foreach (AgentDescription instance in Caller.DescribeAsync(mapped, TimeSpan.FromSeconds(2)))
        {
            instances.Add(instance);
        }

        AgentDescription only = Assert.Single(instances);
        Assert.Equal((mapped, mapped), (only.Agent, only.Service));
    }

    [SuiteFact]
    public async Task Nobody_listening_ends_the_sequence_at_once_and_bad_arguments_are_refused()
    {
        // No instance subscribes to the INFO subject: the broker's "no responders" ends it long before the wait.
        System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();
        await foreach (AgentDescription _ in Caller.DescribeAsync("nobody-" + _agent, TimeSpan.FromMinutes(5)))
        {
            Assert.Fail("nobody serves this agent");
        }

        Assert.True(elapsed.Elapsed < TimeSpan.FromMinutes(1), $"{elapsed.Elapsed}");

        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (AgentDescription _ in Caller.DescribeAsync("not.an.agent"))
            {
            }
        });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (AgentDescription _ in Caller.DescribeAsync(_agent, TimeSpan.Zero))
            {
            }
        });
    }

    private async Task ServeAsync(string identity, string agent)
    {
        AgentBus bus = await ConnectAsync(identity);
        _cleanup.Add(await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = agent, Announce = false }));
    }

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = "describe" });
        _cleanup.Add(bus);
        return bus;
    }
}

public sealed class MemoryDescribeTests : DescribeTests
{
    protected override string Url { get; } = $"memory://describe-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsDescribeTests(NatsServerFixture nats) : DescribeTests
{
    protected override string Url => nats.Url;

    [NatsFact]
    public async Task A_listener_that_never_answers_ends_the_sequence_after_the_wait()
    {
        string agent = "silent-" + Guid.NewGuid().ToString("N")[..8];
        await using NatsConnection silent = new(new NatsOpts { Url = nats.Url });
        await using INatsSub<byte[]> info = await silent.SubscribeCoreAsync<byte[]>($"$SRV.INFO.{agent}");
        await silent.PingAsync();
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", new AgentBusOptions { Url = nats.Url, Prefix = "describe" });

        System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();
        await foreach (AgentDescription _ in caller.DescribeAsync(agent, TimeSpan.FromMilliseconds(300)))
        {
            Assert.Fail("the listener never answers");
        }

        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(250), $"ended after {elapsed.Elapsed}, before the wait");
        Assert.True(info.Msgs.TryRead(out NatsMsg<byte[]> request), "the request reached the listener");
        Assert.Equal($"$SRV.INFO.{agent}", request.Subject);
    }

    [NatsFact]
    public async Task Answers_that_are_no_info_response_are_skipped_and_break_nothing()
    {
        string agent = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        await using NatsConnection impostor = new(new NatsOpts { Url = nats.Url });
        string[] answers =
        [
            "not json",
            "{\"type\":\"io.nats.micro.v1.info_response\",\"name\":1,\"id\":\"x\"}",
            "{\"type\":\"io.nats.micro.v1.ping_response\",\"name\":\"" + agent + "\",\"id\":\"x\"}",
            "{\"type\":\"io.nats.micro.v1.info_response\",\"name\":\"" + agent + "\",\"id\":\"x\",\"endpoints\":[{\"name\":\"e\"}]}",
            "{\"type\":\"io.nats.micro.v1.info_response\",\"name\":\"" + agent + "\",\"id\":\"good\",\"version\":\"1.0.0\",\"endpoints\":[{\"name\":\"e\",\"subject\":\"s.e\",\"metadata\":{\"ana.arguments_schema\":7}}]}",
        ];
        await using INatsSub<byte[]> info = await impostor.SubscribeCoreAsync<byte[]>($"$SRV.INFO.{agent}");
        Task answering = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> request in info.Msgs.ReadAllAsync())
            {
                foreach (string answer in answers)
                {
                    await impostor.PublishAsync(request.ReplyTo!, Encoding.UTF8.GetBytes(answer));
                }
            }
        });
        await impostor.PingAsync();

        await using AgentBus caller = await AgentBus.ConnectAsync("caller", new AgentBusOptions { Url = nats.Url, Prefix = "describe" });
        List<AgentDescription> instances = [];
        await foreach (AgentDescription instance in caller.DescribeAsync(agent, TimeSpan.FromSeconds(2)))
        {
            instances.Add(instance);
        }

        // Only the last is an INFO response; a metadata value that is no string is not read.
        AgentDescription only = Assert.Single(instances);
        Assert.Equal(("good", "e", "s.e"), (only.Id, only.Topics[0].Topic, only.Topics[0].Subject));
        Assert.Null(only.Contract);
        Assert.Null(only.Topics[0].ArgumentsSchema);
        Assert.Equal(AgentBusConnectionState.Connected, caller.ConnectionState);
        await info.UnsubscribeAsync();
        await answering;
    }
}
