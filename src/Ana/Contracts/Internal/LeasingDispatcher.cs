using Ana.Contracts.Infrastructure;

namespace Ana.Contracts.Internal;

/// <summary>
/// Dispatches each call to an implementation leased for that call alone, and returns the lease when the call ends.
/// The generated dispatcher is a thin wrapper over one implementation, so one per call costs a single small object.
/// </summary>
internal sealed class LeasingDispatcher<TContract>(ContractDescriptor<TContract> contract, Func<ContractLease<TContract>> activate) : IContractDispatcher
    where TContract : class
{
    public async ValueTask DispatchAsync(string topic, Query query, InboundContext context)
    {
        ContractLease<TContract> lease = activate();
        try
        {
            await contract.CreateDispatcher(lease.Implementation).DispatchAsync(topic, query, context).ConfigureAwait(false);
        }
        finally
        {
            if (lease.Owner is { } owner)
            {
                await owner.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
