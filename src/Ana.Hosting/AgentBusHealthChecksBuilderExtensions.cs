using Ana.Hosting.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the health of Ana agent buses to the host's health checks.</summary>
public static class AgentBusHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the bus named <paramref name="name"/> (by default the default bus): Healthy when it is connected
    /// and every server's subscriptions are in place, Degraded while it reconnects or has not started serving yet,
    /// Unhealthy when it is closed or could not connect, or when one of its subscriptions stopped receiving after it was
    /// made (<see cref="Ana.AgentBus.SubscriptionFaults"/>: the server refused it after a reconnect, or it ended with an
    /// error), with the subject and the server's reason in the description.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The bus's name; <see langword="null"/> for the default bus.</param>
    /// <param name="checkName">The check's name; by default <c>ana</c>, or <c>ana-&lt;name&gt;</c> for a named bus.</param>
    /// <param name="tags">Tags to filter the check by (a readiness probe's, say).</param>
    public static IHealthChecksBuilder AddAgentBus(this IHealthChecksBuilder builder, string? name = null, string? checkName = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            checkName ?? (name is null ? "ana" : "ana-" + name),
            services => new AgentBusHealthCheck(Host(services, name)),
            failureStatus: HealthStatus.Unhealthy,
            tags));
    }

    private static AgentBusHost Host(IServiceProvider services, string? name)
    {
        if (name is not null)
        {
            return services.GetRequiredKeyedService<AgentBusHost>(name);
        }

        AgentBusRegistry registry = services.GetService<AgentBusRegistry>() is { Buses.Count: > 0 } found
            ? found
            : throw new InvalidOperationException("AddHealthChecks().AddAgentBus() needs an agent bus: call services.AddAgentBus(...) first.");
        return services.GetRequiredKeyedService<AgentBusHost>(registry.Buses[0].Name);
    }
}
