using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ana.Hosting.Tests;

/// <summary>
/// A served contract's subscription that the server refuses after the host started: the server's permissions change,
/// the client reconnects and sends its subscriptions again, and the server refuses those it no longer allows. The
/// health check turns Unhealthy and names the subject, without the credentials.
/// </summary>
public sealed class RefusedSubscriptionHealthTests : IAsyncLifetime
{
    private const string Prefix = "health.refused";
    private const string Password = "greeter-s3cret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ana-health-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The user <c>greeter</c> may do anything, except subscribe to what <paramref name="denied"/> names.</summary>
    private static string Permissions(params string[] denied)
    {
        string deny = denied.Length == 0 ? string.Empty : $", deny: [{string.Join(", ", denied.Select(subject => $"\"{subject}\""))}]";
        return $$"""
            authorization {
              users = [
                { user: greeter, password: "{{Password}}", permissions: { publish: { allow: [">"] }, subscribe: { allow: [">"]{{deny}} } } }
              ]
            }
            """;
    }

    [OwnNatsServerFact]
    public async Task A_subscription_the_server_refuses_after_a_reconnect_makes_the_bus_unhealthy_naming_the_subject()
    {
        string config = Path.Combine(_dir, "nats.conf");
        await File.WriteAllTextAsync(config, Permissions());
        await using NatsServer nats = await NatsServer.StartAsync("-c", config);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ana:Url"] = nats.Url,
            ["Ana:Prefix"] = Prefix,
            ["Ana:Username"] = "greeter",
            ["Ana:Password"] = Password,
        });
        builder.Services.AddSingleton<Gates>();
        builder.Services.AddSingleton<ProbeLog>();
        builder.Services.AddScoped<CallScopeProbe>();
        builder.Services.AddAgentBus("greeter-1").AddServer<IGreeter, Greeter>();
        builder.Services.AddHealthChecks().AddAgentBus();
        using IHost host = builder.Build();
        await host.StartAsync();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        AgentBus bus = host.Services.GetRequiredService<AgentBus>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        // The server comes back with the greeter's queries denied: the client re-sends its subscriptions, the server refuses two.
        await File.WriteAllTextAsync(config, Permissions($"{Prefix}.host-greeter.query", $"{Prefix}.host-greeter.query.>"));
        await nats.RestartAsync();

        HealthReport report = await health.CheckHealthAsync();
        using (CancellationTokenSource bound = new(Patience))
        {
            while (report.Status != HealthStatus.Unhealthy || bus.SubscriptionFaults.Count < 2)
            {
                await Task.Delay(20, bound.Token);
                report = await health.CheckHealthAsync();
            }
        }

        string description = report.Entries["ana"].Description!;
        Assert.Contains($"'{Prefix}.host-greeter.query.>' (queue 'host-greeter'): Permissions Violation for Subscription to \"{Prefix}.host-greeter.query.>\"", description, StringComparison.Ordinal);
        Assert.Contains($"'{Prefix}.host-greeter.query' (queue 'host-greeter')", description, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, description, StringComparison.Ordinal);
        Assert.Equal(
            [$"{Prefix}.host-greeter.query", $"{Prefix}.host-greeter.query.>"],
            bus.SubscriptionFaults.Select(fault => fault.Subject).Order(StringComparer.Ordinal));

        // The inbox (allowed) was sent again and accepted: it is not among the faults.
        Assert.All(bus.SubscriptionFaults, fault => Assert.Equal("host-greeter", fault.QueueGroup));
        await host.StopAsync();
    }
}
