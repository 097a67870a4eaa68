namespace Ana;

/// <summary>
/// How a subscription admits what it receives: <see cref="MaxConcurrency"/> handlers at once, up to
/// <see cref="MaxQueue"/> queries waiting for a slot (more are refused <see cref="AnaErrorCodes.Overloaded"/>), and how far
/// a sender's clock may be ahead before a waiting query counts as expired by its <c>ts</c>.
/// </summary>
internal readonly record struct Admission(int MaxConcurrency, int MaxQueue, TimeSpan ClockSkewAllowance)
{
    /// <summary>The admission of a subscription made with <paramref name="options"/>, unless the caller set its own bounds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A concurrency below 1 or a queue below 0.</exception>
    public static Admission Of(AgentBusOptions options, int? maxConcurrency = null, int? maxQueue = null)
    {
        int concurrency = maxConcurrency ?? options.MaxConcurrentHandlers;
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1, nameof(maxConcurrency));
        int queue = maxQueue ?? options.MaxQueuedHandlers ?? checked(4 * concurrency);
        ArgumentOutOfRangeException.ThrowIfNegative(queue, nameof(maxQueue));
        return new Admission(concurrency, queue, options.ClockSkewAllowance);
    }
}
