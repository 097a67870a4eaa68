using System.ComponentModel;

namespace Ana.Contracts.Infrastructure;

/// <summary>Routes one call to the implementation method of its topic. Implemented by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IContractDispatcher
{
    /// <summary>Runs the method of <paramref name="topic"/> with the arguments of <paramref name="query"/> and replies through <paramref name="context"/>.</summary>
    ValueTask DispatchAsync(string topic, Query query, InboundContext context);

    /// <summary>
    /// Runs the method of <paramref name="topic"/> with <paramref name="arguments"/>, the query's arguments that server
    /// filters may have read already (see <see cref="ContractDescriptor{TContract}.ReceiveArguments"/>), so that they are
    /// not read twice. A dispatcher that does not override it reads them from <paramref name="query"/> again.
    /// </summary>
    ValueTask DispatchAsync(string topic, Query query, InboundContext context, ContractCallArguments arguments)
        => DispatchAsync(topic, query, context);
}
