using System.ComponentModel;

namespace Ana.Contracts.Infrastructure;

/// <summary>Routes one call to the implementation method of its topic. Implemented by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IContractDispatcher
{
    /// <summary>Runs the method of <paramref name="topic"/> with the arguments of <paramref name="query"/> and replies through <paramref name="context"/>.</summary>
    ValueTask DispatchAsync(string topic, Query query, InboundContext context);
}
