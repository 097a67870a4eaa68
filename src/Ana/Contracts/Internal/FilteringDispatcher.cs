using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana.Contracts.Internal;

/// <summary>
/// Runs a contract's server filters around its dispatcher. Only built when filters are given, so a server without
/// filters pays nothing; with filters, a call allocates its chain, one continuation per filter and its arguments, which
/// are read from the query when a filter first asks for them and handed to the dispatcher so that they are read once.
/// </summary>
internal sealed class FilteringDispatcher(IContractDispatcher inner, IAnaServerFilter[] filters, Func<string, JsonElement?, ContractCallArguments?>? receiveArguments)
    : IContractDispatcher
{
    public ValueTask DispatchAsync(string topic, Query query, InboundContext context)
    {
        if (AnaCallContext.Current is not { } call)
        {
            return inner.DispatchAsync(topic, query, context);
        }

        ContractCallArguments? arguments = receiveArguments?.Invoke(topic, query.Data);
        call.Arguments = arguments;
        return new Chain(inner, filters, topic, query, context, call, arguments).NextAsync();
    }

    public ValueTask DispatchAsync(string topic, Query query, InboundContext context, ContractCallArguments arguments)
        => DispatchAsync(topic, query, context);

    /// <summary>One call's walk through the filters; a filter that calls its next twice runs the rest of the chain from where it stands.</summary>
    private sealed class Chain(
        IContractDispatcher inner,
        IAnaServerFilter[] filters,
        string topic,
        Query query,
        InboundContext context,
        AnaCallContext call,
        ContractCallArguments? arguments)
    {
        private int _next;

        public ValueTask NextAsync()
        {
            int index = _next++;
            if (index < filters.Length)
            {
                return filters[index].InvokeAsync(call, NextAsync);
            }

            return arguments is null ? inner.DispatchAsync(topic, query, context) : inner.DispatchAsync(topic, query, context, arguments);
        }
    }
}
