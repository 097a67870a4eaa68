using System.Diagnostics.CodeAnalysis;
using Ana.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ana.Hosting;

/// <summary>
/// Adds typed clients and served contracts to one agent bus of the host; returned by
/// <see cref="AgentBusServiceCollectionExtensions.AddAgentBus(IServiceCollection, string, string?)"/>.
/// </summary>
public sealed class AgentBusBuilder
{
    private readonly AgentBusRegistration _registration;

    internal AgentBusBuilder(IServiceCollection services, AgentBusRegistration registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>The service collection the bus is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The bus's name: the key of its keyed services.</summary>
    public string Name => _registration.Name;

    /// <summary>
    /// Changes the bus's options after configuration is applied (configuration section <c>Ana</c> for the default bus,
    /// <c>Ana:Buses:&lt;name&gt;</c> for the others); called in order when the host starts.
    /// </summary>
    /// <example><c>.Configure(options =&gt; options with { Prefix = "cc.fleet" })</c></example>
    public AgentBusBuilder Configure(Func<AgentBusOptions, AgentBusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registration.Configure.Add(configure);
        return this;
    }

    /// <summary>
    /// Registers a singleton <typeparamref name="TContract"/> that calls <paramref name="agent"/> (by default the
    /// contract's own agent name) over this bus: keyed by the bus's name, and unkeyed too on the default bus.
    /// Registering one contract's client twice on one bus fails the host's start.
    /// </summary>
    public AgentBusBuilder AddClient<TContract>(string? agent = null)
        where TContract : class
    {
        string name = _registration.Name;
        _registration.Clients.Add(typeof(TContract));
        Services.AddKeyedSingleton<TContract>(name, (services, _) => Client<TContract>(services, name, agent));
        if (_registration.IsDefault)
        {
            Services.AddSingleton<TContract>(services => Client<TContract>(services, name, agent));
        }

        return this;
    }

    /// <summary>
    /// Serves <typeparamref name="TContract"/> with <typeparamref name="TImplementation"/> from when the host starts until
    /// it stops (then draining). Each call gets its implementation from a new scope by default
    /// (<see cref="AgentServerOptions.Lifetime"/>); <typeparamref name="TImplementation"/> is registered with that lifetime
    /// unless it is registered already.
    /// </summary>
    public AgentBusBuilder AddServer<TContract, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(
        Action<AgentServerOptions>? configure = null)
        where TContract : class
        where TImplementation : class, TContract
    {
        AgentServerOptions options = new();
        configure?.Invoke(options);
        if (options.Lifetime == ServerLifetime.Singleton)
        {
            Services.TryAddSingleton<TImplementation>();
        }
        else
        {
            Services.TryAddScoped<TImplementation>();
        }

        _registration.Servers.Add(new ServerRegistration<TContract, TImplementation>(options));
        return this;
    }

    /// <summary>
    /// Runs <typeparamref name="TFilter"/> around every call that this bus's servers serve, after the filters added
    /// before it (see <see cref="Contracts.IAnaServerFilter"/>). The filter is a singleton, registered unless it is
    /// registered already, and resolved when the host starts.
    /// </summary>
    public AgentBusBuilder AddFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>()
        where TFilter : class, Contracts.IAnaServerFilter
    {
        Services.TryAddSingleton<TFilter>();
        _registration.Filters.Add(static services => services.GetRequiredService<TFilter>());
        return this;
    }

    /// <summary>
    /// Runs <typeparamref name="TFilter"/> around every typed call this bus's clients make, after the client filters
    /// added before it (see <see cref="Contracts.IAnaClientFilter"/>). The filter is a singleton, registered unless it
    /// is registered already, and resolved when the bus connects.
    /// </summary>
    public AgentBusBuilder AddClientFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>()
        where TFilter : class, Contracts.IAnaClientFilter
    {
        Services.TryAddSingleton<TFilter>();
        _registration.ClientFilters.Add(static services => services.GetRequiredService<TFilter>());
        return this;
    }

    /// <summary>Sends the bus's pulse envelope (activity <c>alive</c>) every <paramref name="interval"/> while the host runs, so that fleet tools see the agent alive.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public AgentBusBuilder AddPulse(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _registration.PulseInterval = interval;
        return this;
    }

    private static TContract Client<TContract>(IServiceProvider services, string bus, string? agent)
        where TContract : class
    {
        AgentBus connected = services.GetRequiredKeyedService<AgentBusHost>(bus).GetBus();
        return agent is null ? connected.Client<TContract>() : connected.Client<TContract>(agent);
    }
}
