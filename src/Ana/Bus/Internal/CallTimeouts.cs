namespace Ana;

/// <summary>
/// The one place where a call's timeout and a subscription's shutdown grace are decided, so that the rules for them
/// (their valid range, a grace period of its own) change here and nowhere else.
/// </summary>
internal static class CallTimeouts
{
    /// <summary>The call's own timeout, else the bus's <see cref="AgentBusOptions.DefaultTimeout"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is zero or negative.</exception>
    public static TimeSpan Resolve(TimeSpan? requested, AgentBusOptions options, string parameterName)
    {
        TimeSpan timeout = requested ?? options.DefaultTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                requested is null ? $"{nameof(AgentBusOptions)}.{nameof(AgentBusOptions.DefaultTimeout)}" : parameterName,
                timeout,
                "A call's timeout must be positive.");
        }

        return timeout;
    }

    /// <summary>How long a stopping subscription waits for its running handlers once their tokens are cancelled.</summary>
    public static TimeSpan ShutdownGrace(AgentBusOptions options) => options.DefaultTimeout;
}
