namespace Ana.Contracts;

/// <summary>
/// Runs around every typed call a bus's contract clients make (an interceptor on the calling side): adding retries,
/// timing, auditing, answering from a cache. Given in <see cref="AgentBusOptions.ClientFilters"/>, outermost first.
/// </summary>
public interface IAnaClientFilter
{
    /// <summary>
    /// Runs around one call. Await <paramref name="continuation"/> to run the remaining filters and send the call: it
    /// returns the reply (<see langword="null"/> for a one-way call) and throws what the call threw (a timeout, an error
    /// reply as <see cref="AnaRemoteException"/>, no responders), so the filter can observe the outcome. Not calling it
    /// short-circuits the call: throw, or return <see cref="AnaClientCall.Answer"/> (the method returns that result).
    /// </summary>
    /// <param name="context">The call: agent, topic, contract method, arguments typed and as JSON, timeout.</param>
    /// <param name="continuation">The rest of the chain; call it at most once.</param>
    ValueTask<Reply?> InvokeAsync(AnaClientCall context, AnaClientCallNext continuation);
}

/// <summary>Runs the rest of a client filter chain and then sends the call; the reply, or <see langword="null"/> for a one-way call.</summary>
public delegate ValueTask<Reply?> AnaClientCallNext();
