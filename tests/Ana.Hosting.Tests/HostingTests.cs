using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ana.Hosting.Tests;

/// <summary>Ana.Contracts.Hosting in a real Generic Host: DI, configuration, lifetimes, graceful stop, health; on both transports.</summary>
public abstract class HostingTests : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IHost> _hosts = [];
    private readonly List<AgentBus> _buses = [];

    protected abstract string Url { get; }

    protected string Prefix { get; } = "host." + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IHost host in _hosts)
        {
            using CancellationTokenSource bound = new(Patience);
            await host.StopAsync(bound.Token);
            host.Dispose();
        }

        foreach (AgentBus bus in _buses)
        {
            await bus.DisposeAsync();
        }
    }

    [SuiteFact]
    public async Task A_hosted_server_answers_an_injected_client_and_each_call_gets_its_own_scope_disposed_after_it()
    {
        IHost host = await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1")
            .AddServer<IGreeter, Greeter>()
            .AddClient<IGreeter>());
        IGreeter greeter = host.Services.GetRequiredService<IGreeter>();
        ProbeLog probes = host.Services.GetRequiredService<ProbeLog>();

        Assert.Equal("hello ada", await greeter.GreetAsync("ada"));
        int first = await greeter.InstanceAsync();
        int second = await greeter.InstanceAsync();
        AnaRemoteException failure = await Assert.ThrowsAsync<AnaRemoteException>(() => greeter.FailAsync());

        Assert.NotEqual(first, second);
        Assert.Equal("nope", failure.Code);
        Assert.Equal(4, probes.Created);
        await WaitUntilAsync(() => probes.Disposed == 4);
        Assert.Same(host.Services.GetRequiredService<AgentBus>(), host.Services.GetRequiredKeyedService<AgentBus>("greeter-1"));
        Assert.Equal("greeter-1", host.Services.GetRequiredService<AgentBus>().Identity);
    }

    [SuiteFact]
    public async Task A_singleton_server_answers_every_call_with_one_implementation()
    {
        IHost host = await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1")
            .AddServer<IGreeter, Greeter>(o => o.Lifetime = ServerLifetime.Singleton)
            .AddClient<IGreeter>());
        IGreeter greeter = host.Services.GetRequiredService<IGreeter>();

        Assert.Equal(await greeter.InstanceAsync(), await greeter.InstanceAsync());
    }

    [SuiteFact]
    public async Task The_default_bus_reads_section_Ana_and_a_named_bus_reads_its_own_section_and_is_keyed_only()
    {
        IHost host = await StartHostAsync(
            builder =>
            {
                builder.Services.AddAgentBus("front-1").AddClient<IGreeter>();
                builder.Services.AddAgentBus("back-1", "back").AddServer<IGreeter, Greeter>();
            },
            new Dictionary<string, string?> { ["Ana:Buses:back:Url"] = Url, ["Ana:Buses:back:Prefix"] = Prefix, ["Ana:Buses:back:DefaultTimeout"] = "00:00:07", ["Ana:Buses:back:MicroDiscovery"] = "false" });

        AgentBus front = host.Services.GetRequiredService<AgentBus>();
        AgentBus back = host.Services.GetRequiredKeyedService<AgentBus>("back");
        Assert.Equal("front-1", front.Identity);
        Assert.Equal("back-1", back.Identity);
        Assert.Equal(Prefix, front.Options.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(7), back.Options.DefaultTimeout);
        Assert.True(front.Options.MicroDiscovery);
        Assert.False(back.Options.MicroDiscovery);
        Assert.Null(host.Services.GetKeyedService<IGreeter>("back"));

        // The front bus's client reaches the back bus's server: one fleet, two buses.
        Assert.Equal("hello bo", await host.Services.GetRequiredService<IGreeter>().GreetAsync("bo"));
    }

    [SuiteFact]
    public async Task Registering_one_client_twice_on_one_bus_fails_the_start()
    {
        IHost host = BuildHost(builder => builder.Services.AddAgentBus("greeter-1").AddClient<IGreeter>().AddClient<IGreeter>("other"));

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("registered twice", failure.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(IGreeter).FullName!, failure.Message, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task A_bad_prefix_in_configuration_fails_the_start_naming_the_option()
    {
        IHost host = BuildHost(
            builder => builder.Services.AddAgentBus("greeter-1").AddServer<IGreeter, Greeter>(),
            new Dictionary<string, string?> { ["Ana:Prefix"] = "bad prefix" });

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("misconfigured", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Prefix", failure.Message, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task Stopping_the_host_lets_running_calls_finish_and_answers_queued_ones_unavailable()
    {
        IHost host = await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1")
            .AddServer<IGreeter, Greeter>(o => (o.MaxConcurrency, o.MaxQueue) = (8, 100)));
        Gates gates = host.Services.GetRequiredService<Gates>();
        IGreeter greeter = (await CallerAsync()).Client<IGreeter>();

        Task<string>[] calls = [.. Enumerable.Range(0, 100).Select(_ => greeter.HoldAsync("stop"))];
        await WaitUntilAsync(() => Volatile.Read(ref gates.Entered) == 8);
        Task stopping = host.StopAsync();

        // The stop closes admission and answers the queued calls at once, while the 8 running ones wait for their gates:
        // opened only once that has happened (a fixed pause was not enough on a loaded machine: the stop had not begun).
        await WaitUntilAsync(() => calls.Any(call => call.IsCompleted));
        gates.OpenAll();
        await stopping.WaitAsync(Patience);

        // On a loaded machine some calls are still being sent when the stop begins: those find nobody listening.
        int released = 0, unavailable = 0, unsent = 0;
        foreach (Task<string> call in calls)
        {
            try
            {
                Assert.Equal("released stop", await call.WaitAsync(Patience));
                released++;
            }
            catch (AnaRemoteException exception) when (exception.Code == AnaErrorCodes.Unavailable)
            {
                unavailable++;
            }
            catch (AnaNoRespondersException)
            {
                unsent++;
            }
        }

        Assert.Equal(8, released);
        Assert.Equal(92, unavailable + unsent);
        Assert.True(unavailable > 0, "no queued call was answered unavailable");
    }

    [SuiteFact]
    public async Task Calls_still_running_when_the_shutdown_timeout_passes_are_cancelled_and_fail_fast()
    {
        IHost host = await StartHostAsync(builder =>
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
            builder.Services.AddAgentBus("greeter-1").AddServer<IGreeter, Greeter>(o => o.MaxConcurrency = 4);
        });
        Gates gates = host.Services.GetRequiredService<Gates>();
        IGreeter greeter = (await CallerAsync()).Client<IGreeter>();

        Task<string>[] calls = [.. Enumerable.Range(0, 20).Select(_ => greeter.HoldAsync("never"))];
        await WaitUntilAsync(() => Volatile.Read(ref gates.Entered) == 4);
        await host.StopAsync().WaitAsync(Patience);

        Dictionary<string, int> outcomes = [];
        foreach (Task<string> call in calls)
        {
            // A call still being sent when the stop began finds nobody listening: failed fast too.
            Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => call.WaitAsync(Patience));
            string outcome = failure switch
            {
                AnaRemoteException remote => remote.Code,
                AnaNoRespondersException => "unsent",
                _ => failure.GetType().Name,
            };
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.Equal(4, outcomes.GetValueOrDefault(AnaErrorCodes.Cancelled));
        Assert.Equal(16, outcomes.GetValueOrDefault(AnaErrorCodes.Unavailable) + outcomes.GetValueOrDefault("unsent"));
        Assert.Equal(20, outcomes.Values.Sum());
    }

    [SuiteFact]
    public async Task The_health_check_is_healthy_while_serving_and_unhealthy_once_stopped()
    {
        IHost host = await StartHostAsync(builder =>
        {
            builder.Services.AddAgentBus("greeter-1").AddServer<IGreeter, Greeter>();
            builder.Services.AddHealthChecks().AddAgentBus();
        });
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await host.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
    }

    [SuiteFact]
    public async Task A_filter_added_to_the_bus_runs_around_every_served_call()
    {
        IHost host = await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1")
            .AddServer<IGreeter, Greeter>()
            .AddFilter<OnlyAlice>()
            .AddFilter<NamePolicy>());
        IGreeter fromAlice = (await CallerAsync("alice")).Client<IGreeter>();
        IGreeter fromBob = (await CallerAsync("bob")).Client<IGreeter>();

        Assert.Equal("hello x", await fromAlice.GreetAsync("x"));
        AnaRemoteException refused = await Assert.ThrowsAsync<AnaRemoteException>(() => fromBob.GreetAsync("x"));
        Assert.Equal("forbidden", refused.Code);
        AnaRemoteException byName = await Assert.ThrowsAsync<AnaRemoteException>(() => fromAlice.GreetAsync("mallory"));
        Assert.Equal("forbidden_name", byName.Code);
    }

    [SuiteFact]
    public async Task A_client_filter_added_to_the_bus_runs_around_its_injected_clients_calls()
    {
        IHost host = await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1")
            .AddServer<IGreeter, Greeter>()
            .AddClient<IGreeter>()
            .AddClientFilter<CountingClientFilter>());

        await host.Services.GetRequiredService<IGreeter>().GreetAsync("x");
        await host.Services.GetRequiredService<IGreeter>().GreetAsync("y");

        CountingClientFilter filter = host.Services.GetRequiredService<CountingClientFilter>();
        Assert.Equal(2, filter.Calls);
        Assert.Equal(["IGreeter.GreetAsync name=x", "IGreeter.GreetAsync name=y"], filter.Seen.ToArray());
    }

    [SuiteFact]
    public async Task A_pulse_is_sent_on_the_configured_interval()
    {
        AgentBus watcher = await CallerAsync();
        int pulses = 0;
        await using AgentSubscription watching = await watcher.SubscribeAsync(
            watcher.Subjects.Build("greeter-1", SubjectVerb.Pulse),
            (envelope, _) =>
            {
                Interlocked.Increment(ref pulses);
                return default;
            });
        await StartHostAsync(builder => builder.Services.AddAgentBus("greeter-1").AddPulse(TimeSpan.FromMilliseconds(50)));

        await WaitUntilAsync(() => Volatile.Read(ref pulses) >= 3);
    }

    [SuiteFact]
    public async Task A_pulse_is_sent_on_the_interval_given_in_configuration()
    {
        AgentBus watcher = await CallerAsync();
        int pulses = 0;
        await using AgentSubscription watching = await watcher.SubscribeAsync(
            watcher.Subjects.Build("greeter-1", SubjectVerb.Pulse),
            (envelope, _) =>
            {
                Interlocked.Increment(ref pulses);
                return default;
            });
        await StartHostAsync(
            builder => builder.Services.AddAgentBus("greeter-1"),
            new Dictionary<string, string?> { ["Ana:PulseInterval"] = "00:00:00.050" });

        await WaitUntilAsync(() => Volatile.Read(ref pulses) >= 3);
    }

    protected IHost BuildHost(Action<HostApplicationBuilder> configure, Dictionary<string, string?>? configuration = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        Dictionary<string, string?> values = new() { ["Ana:Url"] = Url, ["Ana:Prefix"] = Prefix };
        foreach (KeyValuePair<string, string?> value in configuration ?? [])
        {
            values[value.Key] = value.Value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddSingleton<Gates>();
        builder.Services.AddSingleton<ProbeLog>();
        builder.Services.AddScoped<CallScopeProbe>();
        configure(builder);
        IHost host = builder.Build();
        _hosts.Add(host);
        return host;
    }

    protected async Task<IHost> StartHostAsync(Action<HostApplicationBuilder> configure, Dictionary<string, string?>? configuration = null)
    {
        IHost host = BuildHost(configure, configuration);
        await host.StartAsync();
        return host;
    }

    protected async Task<AgentBus> CallerAsync(string identity = "caller")
    {
        AgentBus caller = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = Prefix, DefaultTimeout = Patience });
        _buses.Add(caller);
        return caller;
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource bound = new(Patience);
        while (!condition())
        {
            await Task.Delay(10, bound.Token);
        }
    }
}

public sealed class MemoryHostingTests : HostingTests
{
    protected override string Url { get; } = $"memory://hosting-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsHostingTests(NatsServerFixture nats) : HostingTests
{
    protected override string Url => nats.Url;

    [NatsFact]
    public async Task Two_kinds_of_credentials_fail_the_start_naming_both_options()
    {
        IHost host = BuildHost(
            builder => builder.Services.AddAgentBus("greeter-1"),
            new Dictionary<string, string?> { ["Ana:Token"] = "s3cret-token", ["Ana:Username"] = "u", ["Ana:Password"] = "s3cret-password" });

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Token", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Username + Password", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>A host whose server cannot be reached: the start fails after the connect timeout, with a clear error and no secret.</summary>
public sealed class UnreachableServerHostingTests
{
    [Fact]
    public async Task The_start_fails_after_the_connect_timeout_naming_the_server_without_its_password()
    {
        int port = LoopbackPorts.Free();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ana:Url"] = $"nats://ana:s3cret-password@127.0.0.1:{port}",
            ["Ana:ConnectTimeout"] = "00:00:01",
        });
        builder.Services.AddAgentBus("lonely-1");
        using IHost host = builder.Build();

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync()).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("could not connect", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure.ToString(), StringComparison.Ordinal);
    }
}
