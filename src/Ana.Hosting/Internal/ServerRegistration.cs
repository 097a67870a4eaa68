using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Ana.Hosting.Internal;

/// <summary>One contract served by a hosted bus.</summary>
internal abstract class ServerRegistration(Type contract, AgentServerOptions options)
{
    public Type Contract { get; } = contract;

    public AgentServerOptions Options { get; } = options;

    /// <summary>Starts serving on <paramref name="bus"/>, with implementations from <paramref name="services"/>.</summary>
    public abstract ValueTask<AgentSubscription> ServeAsync(AgentBus bus, IServiceProvider services, IReadOnlyList<Contracts.IAnaServerFilter> filters, CancellationToken cancellationToken);
}

/// <summary>Serves <typeparamref name="TContract"/> with <typeparamref name="TImplementation"/>, per call from a scope or as one singleton.</summary>
internal sealed class ServerRegistration<TContract, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(AgentServerOptions options)
    : ServerRegistration(typeof(TContract), options)
    where TContract : class
    where TImplementation : class, TContract
{
    public override ValueTask<AgentSubscription> ServeAsync(AgentBus bus, IServiceProvider services, IReadOnlyList<Contracts.IAnaServerFilter> filters, CancellationToken cancellationToken)
    {
        Contracts.ServeOptions serveOptions = Options.ToServeOptions() with { Filters = filters.Count > 0 ? filters : null };
        if (Options.Lifetime == ServerLifetime.Singleton)
        {
            return bus.ServeAsync<TContract>(services.GetRequiredService<TImplementation>(), serveOptions, cancellationToken);
        }

        IServiceScopeFactory scopes = services.GetRequiredService<IServiceScopeFactory>();
        return bus.ServePerCallAsync(
            () =>
            {
                AsyncServiceScope scope = scopes.CreateAsyncScope();
                try
                {
                    return new Contracts.ContractLease<TContract>(scope.ServiceProvider.GetRequiredService<TImplementation>(), scope);
                }
                catch
                {
                    scope.Dispose();
                    throw;
                }
            },
            serveOptions,
            cancellationToken);
    }
}
