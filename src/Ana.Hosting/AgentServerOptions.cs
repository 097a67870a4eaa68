using Ana.Contracts;

namespace Ana.Hosting;

/// <summary>How a hosted bus serves one contract: the <see cref="ServeOptions"/> of the call it makes, and the implementation's lifetime.</summary>
public sealed class AgentServerOptions
{
    /// <summary>The agent name to serve under; by default the contract's <see cref="AnaAgentAttribute"/> name.</summary>
    public string? Agent { get; set; }

    /// <summary>The queue group; by default the agent name, so that several servers share the calls.</summary>
    public string? QueueGroup { get; set; }

    /// <summary>Every server receives every call (no queue group).</summary>
    public bool NoQueueGroup { get; set; }

    /// <summary>How many calls run at once; by default <see cref="AgentBusOptions.MaxConcurrentHandlers"/>.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// How many calls may wait while <see cref="MaxConcurrency"/> run; more are refused at once as overloaded. By default
    /// <see cref="AgentBusOptions.MaxQueuedHandlers"/> (see <see cref="Contracts.ServeOptions.MaxQueue"/>).
    /// </summary>
    public int? MaxQueue { get; set; }

    /// <summary>Where the implementation comes from for each call; <see cref="ServerLifetime.Scoped"/> by default.</summary>
    public ServerLifetime Lifetime { get; set; } = ServerLifetime.Scoped;

    internal ServeOptions ToServeOptions() => new()
    {
        Agent = Agent,
        QueueGroup = QueueGroup,
        NoQueueGroup = NoQueueGroup,
        MaxConcurrency = MaxConcurrency,
        MaxQueue = MaxQueue,
    };
}
