namespace Ana.Contracts;

/// <summary>
/// Runs around every call that a contract server serves (an interceptor): authorization, timing, auditing, caching.
/// Filters run in the order given in <see cref="ServeOptions.Filters"/>, outermost first, on the call's own flow, so
/// <see cref="AnaCallContext.Current"/> is the context they are given.
/// </summary>
/// <example>
/// <code>
/// sealed class Allowlist(params string[] callers) : IAnaServerFilter
/// {
///     public ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation) =>
///         callers.Contains(context.From) ? continuation() : throw new AnaException("forbidden", $"{context.From} may not call {context.Topic}.");
/// }
/// </code>
/// </example>
public interface IAnaServerFilter
{
    /// <summary>
    /// Runs around one call. Await <paramref name="continuation"/> to run the remaining filters and the method: it returns once
    /// the method's reply was sent and throws what the method threw, so the filter can observe the outcome. Not calling
    /// it short-circuits the call: throw an <see cref="AnaException"/> (the caller gets its code and message), or answer
    /// with <see cref="AnaCallContext.ReplyAsync"/> (the caller gets that result).
    /// </summary>
    /// <param name="context">
    /// The call: caller, request id, topic, deadline, the query and its <c>data</c> (the arguments as JSON), and the
    /// contract method and its arguments typed (<see cref="AnaCallContext.Method"/>, <see cref="AnaCallContext.Arguments"/>),
    /// read when first asked for.
    /// </param>
    /// <param name="continuation">The rest of the chain; call it at most once.</param>
    ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation);
}

/// <summary>Runs the rest of a server filter chain and then the contract method.</summary>
public delegate ValueTask AnaServerCallNext();
