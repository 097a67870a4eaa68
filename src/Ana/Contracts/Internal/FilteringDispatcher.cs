using Ana.Contracts.Infrastructure;

namespace Ana.Contracts.Internal;

/// <summary>
/// Runs a contract's server filters around its dispatcher. Only built when filters are given, so a server without
/// filters pays nothing; with filters, a call allocates its chain and one continuation per filter.
/// </summary>
internal sealed class FilteringDispatcher(IContractDispatcher inner, IAnaServerFilter[] filters) : IContractDispatcher
{
    public ValueTask DispatchAsync(string topic, Query query, InboundContext context)
        => AnaCallContext.Current is { } call
            ? new Chain(inner, filters, topic, query, context, call).NextAsync()
            : inner.DispatchAsync(topic, query, context);

    /// <summary>One call's walk through the filters; a filter that calls its next twice runs the rest of the chain from where it stands.</summary>
    private sealed class Chain(IContractDispatcher inner, IAnaServerFilter[] filters, string topic, Query query, InboundContext context, AnaCallContext call)
    {
        private int _next;

        public ValueTask NextAsync()
        {
            int index = _next++;
            return index < filters.Length
                ? filters[index].InvokeAsync(call, NextAsync)
                : inner.DispatchAsync(topic, query, context);
        }
    }
}
