using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ana.Hosting.Internal;

/// <summary>
/// The health of one hosted bus, from its connection state, whether its servers are in place, and whether a
/// subscription stopped receiving after it was made (<see cref="AgentBus.SubscriptionFaults"/>).
/// </summary>
internal sealed class AgentBusHealthCheck(AgentBusHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string bus = host.Registration.Name;
        HealthStatus failure = context.Registration.FailureStatus;
        HealthCheckResult result = host.ConnectedBus switch
        {
            null => new HealthCheckResult(failure, $"The agent bus '{bus}' is not connected."),
            { ConnectionState: AgentBusConnectionState.Closed } => new HealthCheckResult(failure, $"The agent bus '{bus}' is closed."),
            { SubscriptionFaults: { Count: > 0 } faults } => new HealthCheckResult(failure, Describe(bus, faults)),
            { ConnectionState: AgentBusConnectionState.Reconnecting } => HealthCheckResult.Degraded($"The agent bus '{bus}' lost its connection and is reconnecting."),
            _ when !host.IsServing => HealthCheckResult.Degraded($"The agent bus '{bus}' is connected but not serving yet."),
            _ => HealthCheckResult.Healthy($"The agent bus '{bus}' is connected and serving."),
        };
        return Task.FromResult(result);
    }

    /// <summary>"The agent bus 'b' no longer receives on: 'subject' (queue 'q'): reason; ...": subjects and the server's words, no credentials.</summary>
    private static string Describe(string bus, IReadOnlyList<AgentSubscriptionFault> faults)
    {
        StringBuilder text = new($"The agent bus '{bus}' no longer receives on {faults.Count} subscription(s): ");
        for (int i = 0; i < faults.Count; i++)
        {
            AgentSubscriptionFault fault = faults[i];
            text.Append(i == 0 ? string.Empty : "; ").Append('\'').Append(fault.Subject).Append('\'');
            if (fault.QueueGroup is { } queueGroup)
            {
                text.Append(" (queue '").Append(queueGroup).Append("')");
            }

            text.Append(": ").Append(fault.Reason);
        }

        return text.ToString();
    }
}
