namespace Ana.Hosting.Internal;

/// <summary>Everything registered for one bus of the host: identity, options, clients, servers. Read once, when the host starts.</summary>
internal sealed class AgentBusRegistration(string name, string identity, bool isDefault)
{
    /// <summary>The configuration section of the default bus.</summary>
    public const string DefaultSection = "Ana";

    public string Name { get; } = name;

    public string Identity { get; } = identity;

    /// <summary>The first bus added: its services are registered unkeyed as well as keyed.</summary>
    public bool IsDefault { get; } = isDefault;

    public string ConfigurationSection => IsDefault ? DefaultSection : $"{DefaultSection}:Buses:{Name}";

    public List<Func<AgentBusOptions, AgentBusOptions>> Configure { get; } = [];

    public List<Type> Clients { get; } = [];

    public List<ServerRegistration> Servers { get; } = [];

    /// <summary>The server filters of every contract this bus serves, in order, each resolved once when the host starts.</summary>
    public List<Func<IServiceProvider, Contracts.IAnaServerFilter>> Filters { get; } = [];

    /// <summary>The client filters of every typed call this bus makes, in order, each resolved once when the bus connects.</summary>
    public List<Func<IServiceProvider, Contracts.IAnaClientFilter>> ClientFilters { get; } = [];

    public TimeSpan? PulseInterval { get; set; }
}

/// <summary>All the buses of one service collection, in the order they were added.</summary>
internal sealed class AgentBusRegistry
{
    public List<AgentBusRegistration> Buses { get; } = [];
}
