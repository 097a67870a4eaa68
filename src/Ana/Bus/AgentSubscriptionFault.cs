namespace Ana;

/// <summary>
/// A subscription of an <see cref="AgentBus"/> that stopped receiving after it was made: the NATS server refused it
/// when the client sent it again (after a reconnect, say, to a server whose permissions changed), or the client ended
/// it with an error; or the durable topic of a served contract whose server stopped taking its stored work, refused the
/// acknowledgements or the pulls of its JetStream consumer. What <see cref="AgentBus.SubscriptionFaults"/> lists and a
/// health check reports.
/// </summary>
public sealed record AgentSubscriptionFault
{
    /// <summary>The subject, possibly a wildcard, that no longer receives.</summary>
    public required string Subject { get; init; }

    /// <summary>The subscription's queue group, if it has one; for a durable topic, its JetStream consumer (shared by the agent's servers as a queue group is).</summary>
    public string? QueueGroup { get; init; }

    /// <summary>What happened, such as the server's error (<c>Permissions Violation for Subscription to "…"</c>); never a credential.</summary>
    public required string Reason { get; init; }

    /// <summary>When it was noticed.</summary>
    public required DateTimeOffset Since { get; init; }
}
