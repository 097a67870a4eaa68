using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana.Contracts.Internal;

/// <summary>
/// Runs a contract's server filters around its dispatcher. Only built when filters are given, so a server without
/// filters pays nothing; with filters, a call allocates its chain, one continuation per filter and its arguments, which
/// are read from the query when a filter first asks for them. The generated dispatcher takes them from
/// <see cref="AnaCallContext.Arguments"/>, so that they are read once.
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

        call.Arguments = receiveArguments?.Invoke(topic, query.Data);
        return new Chain(inner, filters, topic, query, context, call).NextAsync();
    }

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
