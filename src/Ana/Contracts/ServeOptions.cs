namespace Ana.Contracts;

/// <summary>How <see cref="AgentBus.ServeAsync{TContract}"/> serves a contract.</summary>
public sealed record ServeOptions
{
    /// <summary>The agent name to serve under; defaults to the contract's <see cref="AnaAgentAttribute.Name"/>.</summary>
    public string? Agent { get; init; }

    /// <summary>
    /// The queue group: servers in one group share the calls, each call going to one of them. Defaults to the agent
    /// name; set <see cref="NoQueueGroup"/> to have every server receive every call.
    /// </summary>
    public string? QueueGroup { get; init; }

    /// <summary>Serve outside any queue group.</summary>
    public bool NoQueueGroup { get; init; }

    /// <summary>How many calls run at once; the rest wait. Defaults to the bus's <see cref="AgentBusOptions.MaxConcurrentHandlers"/>.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// How many queries may wait for a handler slot while all <see cref="MaxConcurrency"/> are busy; a query beyond them
    /// is refused at once with an <see cref="AnaErrorCodes.Overloaded"/> error reply (its caller gets
    /// <see cref="AnaOverloadedException"/> and can go elsewhere) instead of waiting behind work nobody may wait for any
    /// more. Defaults to the bus's <see cref="AgentBusOptions.MaxQueuedHandlers"/>; 0 refuses every query that finds no free slot.
    /// </summary>
    public int? MaxQueue { get; init; }

    /// <summary>
    /// Whether serving starts with a discovery envelope on the bus's <c>&lt;prefix&gt;.&lt;identity&gt;.discovery</c> that
    /// says what it serves (<see cref="Discovery.Serves"/>, and the query subjects in <see cref="Discovery.SubjectsOwned"/>),
    /// as <see cref="AgentBus.AnnounceDiscoveryAsync"/> does. On by default.
    /// </summary>
    public bool Announce { get; init; } = true;

    /// <summary>Filters that run around every call, outermost first (see <see cref="IAnaServerFilter"/>); none by default.</summary>
    public IReadOnlyList<IAnaServerFilter>? Filters { get; init; }
}
