namespace Ana;

/// <summary>
/// One running instance of an agent, as it describes itself to NATS micro discovery (ADR-32's <c>$SRV.INFO</c>): its
/// contract, its version, and each topic it serves with the method's C# signature and JSON Schemas.
/// </summary>
/// <remarks>Returned by <see cref="AgentBus.DescribeAsync"/>. A bus serving several contracts under one agent name is one instance per contract.</remarks>
public sealed record AgentDescription
{
    /// <summary>The agent name (the service name is it mapped to ADR-32's characters, <see cref="Service"/>).</summary>
    public required string Agent { get; init; }

    /// <summary>The NATS micro service name: the agent name with every character outside <c>[a-zA-Z0-9_-]</c> turned into <c>_</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The instance's id, unique per served contract and process.</summary>
    public required string Id { get; init; }

    /// <summary>The contract's version (semantic version).</summary>
    public required string Version { get; init; }

    /// <summary>The contract's name (<c>Demo.IScheduler</c>), or <see langword="null"/> for a service that is not an Ana agent.</summary>
    public string? Contract { get; init; }

    /// <summary>The service's description.</summary>
    public string? Description { get; init; }

    /// <summary>The topics it serves, in the contract's order.</summary>
    public required IReadOnlyList<TopicDescription> Topics { get; init; }

    /// <summary>
    /// What the instance left out of its description to fit the server's <c>max_payload</c>: <c>"schemas"</c> (the
    /// topics' JSON Schemas) or <c>"endpoints"</c> (signatures and schemas); <see langword="null"/> when nothing was.
    /// </summary>
    public string? Omitted { get; init; }
}
