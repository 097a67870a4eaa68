namespace Ana;

/// <summary>
/// The one place where a call's timeout and a subscription's shutdown grace are decided. A timeout is at least
/// <see cref="Min"/> and at most <see cref="Max"/> everywhere: in <c>[AnaTimeout]</c> (checked by the generator, ANA012),
/// in <see cref="AgentBusOptions.DefaultTimeout"/> (checked by <see cref="AgentBus.ConnectAsync"/>) and in every call.
/// </summary>
internal static class CallTimeouts
{
    /// <summary>The shortest timeout: a shorter one rounds to nothing on the timers that enforce it.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest timeout: under the longest delay a .NET timer takes (about 49.7 days), in round days.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(24);

    /// <summary>The call's own timeout, else the bus's <see cref="AgentBusOptions.DefaultTimeout"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The call's timeout is outside the valid range.</exception>
    public static TimeSpan Resolve(TimeSpan? requested, AgentBusOptions options, string parameterName)
        => requested is { } timeout ? Validate(timeout, parameterName) : options.DefaultTimeout;

    /// <summary>
    /// The time a typed or untyped call may wait, from the first that says: the ambient <see cref="AnaCallOptions.Scope"/>,
    /// the client's options, the method's <paramref name="timeout"/>, the bus's default; then held to what the call being
    /// served has left when the call is made inside a handler, unless the scope or the client turned that off.
    /// <see cref="TimeSpan.Zero"/> when that call's deadline has passed: the call is not sent, and ends as timed out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A timeout outside the valid range.</exception>
    public static TimeSpan For(TimeSpan? timeout, AnaCallOptions? client, AgentBusOptions options)
    {
        AnaCallOptions? scope = AnaCallOptions.Current;
        TimeSpan wait = Resolve(scope?.Timeout ?? client?.Timeout ?? timeout, options, nameof(timeout));
        if (scope is { PropagateDeadline: false } || client is { PropagateDeadline: false }
            || AnaCallContext.Current?.Deadline is not { } deadline)
        {
            return wait;
        }

        TimeSpan left = deadline - DateTimeOffset.UtcNow;
        if (left >= wait)
        {
            return wait;
        }

        return left >= Min ? left : TimeSpan.Zero;
    }

    /// <summary>Checks the options' timeouts before anything connects.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AgentBusOptions.DefaultTimeout"/> or <see cref="AgentBusOptions.ShutdownGrace"/> is outside its range.</exception>
    public static void Validate(AgentBusOptions options)
    {
        Validate(options.DefaultTimeout, $"{nameof(options)}.{nameof(AgentBusOptions.DefaultTimeout)}");
        ValidateStop(options.ShutdownGrace, $"{nameof(options)}.{nameof(AgentBusOptions.ShutdownGrace)}");
    }

    /// <summary>Checks a time given to stopping (a drain's timeout, the shutdown grace): zero is allowed, it means "do not wait".</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is negative or longer than <see cref="Max"/>.</exception>
    public static TimeSpan ValidateStop(TimeSpan wait, string parameterName)
        => wait >= TimeSpan.Zero && wait <= Max
            ? wait
            : throw new ArgumentOutOfRangeException(
                parameterName,
                wait,
                $"A time to stop must be at least zero and at most {Max.TotalDays:0} days.");

    /// <summary>A timeout that arrived in a query's <c>timeout_s</c>, held to the same bound (a peer may send any number).</summary>
    public static TimeSpan FromPeerSeconds(double seconds)
        => seconds >= Max.TotalSeconds ? Max : TimeSpan.FromSeconds(seconds);

    public static TimeSpan Validate(TimeSpan timeout, string parameterName)
        => timeout >= Min && timeout <= Max
            ? timeout
            : throw new ArgumentOutOfRangeException(
                parameterName,
                timeout,
                $"A timeout must be at least {Min.TotalMilliseconds:0} ms and at most {Max.TotalDays:0} days.");
}
