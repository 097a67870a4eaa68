using System.Collections.Concurrent;
using System.ComponentModel;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The contracts of the running program, registered by generated module initializers: no reflection, no
/// <c>Type.GetType</c>, so lookups work under NativeAOT. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ContractRegistry
{
    private static readonly ConcurrentDictionary<Type, object> Descriptors = new();

    /// <summary>Registers a contract; called once per contract by the generated module initializer.</summary>
    /// <remarks>Registering the same description again does nothing; a different one for the same contract is refused.</remarks>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TContract"/> is registered already with another agent name, client or dispatcher.
    /// </exception>
    public static void Register<TContract>(ContractDescriptor<TContract> descriptor)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        object registered = Descriptors.GetOrAdd(typeof(TContract), descriptor);
        if (!ReferenceEquals(registered, descriptor) && !((ContractDescriptor<TContract>)registered).Describes(descriptor))
        {
            throw new InvalidOperationException(
                $"'{typeof(TContract)}' is registered already with another client or dispatcher (agent " +
                $"'{((ContractDescriptor<TContract>)registered).AgentName}'). A contract is registered once, by the code " +
                "generated for it; a second, different registration would silently replace the first.");
        }
    }

    /// <summary>
    /// The registration of <typeparamref name="TContract"/>: its agent name, topics, signatures and JSON Schemas; or
    /// <see langword="null"/> when it is not a contract of the running program.
    /// </summary>
    public static ContractDescriptor<TContract>? Find<TContract>()
        where TContract : class
        => Descriptors.TryGetValue(typeof(TContract), out object? descriptor) ? (ContractDescriptor<TContract>)descriptor : null;

    internal static ContractDescriptor<TContract> Get<TContract>()
        where TContract : class
    {
        if (Descriptors.TryGetValue(typeof(TContract), out object? descriptor))
        {
            return (ContractDescriptor<TContract>)descriptor;
        }

        throw new InvalidOperationException(
            $"'{typeof(TContract)}' is not an ana contract: no client or dispatcher was generated for it. A contract is a " +
            "partial interface marked [AnaAgent(\"name\")] in a project that references Ana.Contracts (whose source " +
            "generator writes the client and the dispatcher at build time); check the build for ANA diagnostics.");
    }
}
