using Ana;
using Ana.Hosting;
using Ana.Hosting.Internal;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Ana agent buses to a service collection.</summary>
public static class AgentBusServiceCollectionExtensions
{
    /// <summary>
    /// Adds an agent bus with the identity <paramref name="identity"/>, connected when the host starts and drained when
    /// it stops. The first bus added is the default: its <see cref="AgentBus"/>, clients and health are registered
    /// unkeyed as well as keyed by <paramref name="name"/>, and it reads configuration section <c>Ana</c>; a further
    /// bus is keyed only (<c>[FromKeyedServices(name)]</c>) and reads <c>Ana:Buses:&lt;name&gt;</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="identity">The agent name the bus speaks as.</param>
    /// <param name="name">The bus's name, its services' key; by default <paramref name="identity"/>.</param>
    /// <exception cref="ArgumentException">A bus of that name was added already.</exception>
    public static AgentBusBuilder AddAgentBus(this IServiceCollection services, string identity, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        name ??= identity;
        AgentBusRegistry registry = Registry(services);
        if (registry.Buses.Exists(bus => bus.Name == name))
        {
            throw new ArgumentException($"An agent bus named '{name}' was added already; give the second one another name.", nameof(name));
        }

        AgentBusRegistration registration = new(name, identity, isDefault: registry.Buses.Count == 0);
        registry.Buses.Add(registration);
        services.AddKeyedSingleton(name, (provider, _) => new AgentBusHost(registration, provider));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<AgentBusHost>(name));
        services.AddKeyedSingleton(name, (provider, _) => provider.GetRequiredKeyedService<AgentBusHost>(name).GetBus());
        if (registration.IsDefault)
        {
            services.AddSingleton(provider => provider.GetRequiredKeyedService<AgentBusHost>(name).GetBus());
        }

        return new AgentBusBuilder(services, registration);
    }

    private static AgentBusRegistry Registry(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(AgentBusRegistry) && descriptor.ImplementationInstance is AgentBusRegistry existing)
            {
                return existing;
            }
        }

        AgentBusRegistry registry = new();
        services.AddSingleton(registry);
        return registry;
    }
}
