using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ana.Hosting.Internal;

/// <summary>The health of one hosted bus, from its connection state and whether its servers are in place.</summary>
internal sealed class AgentBusHealthCheck(AgentBusHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string bus = host.Registration.Name;
        HealthCheckResult result = host.ConnectedBus switch
        {
            null => new HealthCheckResult(context.Registration.FailureStatus, $"The agent bus '{bus}' is not connected."),
            { ConnectionState: AgentBusConnectionState.Closed } => new HealthCheckResult(context.Registration.FailureStatus, $"The agent bus '{bus}' is closed."),
            { ConnectionState: AgentBusConnectionState.Reconnecting } => HealthCheckResult.Degraded($"The agent bus '{bus}' lost its connection and is reconnecting."),
            _ when !host.IsServing => HealthCheckResult.Degraded($"The agent bus '{bus}' is connected but not serving yet."),
            _ => HealthCheckResult.Healthy($"The agent bus '{bus}' is connected and serving."),
        };
        return Task.FromResult(result);
    }
}
