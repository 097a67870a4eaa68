namespace Ana;

/// <summary>
/// A subscription of an <see cref="AgentBus"/> that stopped receiving after it was made: the NATS server refused it
/// when the client sent it again (after a reconnect, say, to a server whose permissions changed), or the client ended
/// it with an error. What <see cref="AgentBus.SubscriptionFaults"/> lists and a health check reports.
/// </summary>
public sealed record AgentSubscriptionFault
{
    /// <summary>The subject, possibly a wildcard, that no longer receives.</summary>
    public required string Subject { get; init; }

    /// <summary>The subscription's queue group, if it has one.</summary>
    public string? QueueGroup { get; init; }

    /// <summary>What happened, such as the server's error (<c>Permissions Violation for Subscription to "…"</c>); never a credential.</summary>
    public required string Reason { get; init; }

    /// <summary>When it was noticed.</summary>
    public required DateTimeOffset Since { get; init; }
}
