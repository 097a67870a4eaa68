namespace Ana;

/// <summary>
/// How calls are made, without changing a contract's signature: for every call of one client
/// (<see cref="AgentBus.Client{TContract}(string, AnaCallOptions)"/>), or for the calls made in a scope
/// (<see cref="Scope"/>). For a call's timeout the first that says one wins: the scope, the client, the method's
/// <c>[AnaTimeout]</c>, the bus's <see cref="AgentBusOptions.DefaultTimeout"/>; whichever it is, a call made while serving
/// another (inside a handler) gets at most the time that call has left, unless <see cref="PropagateDeadline"/> is off.
/// </summary>
public sealed record AnaCallOptions
{
    private static readonly AsyncLocal<AnaCallOptions?> Ambient = new();

    /// <summary>How long a call waits for its reply; <see langword="null"/> leaves it to the next in line (see the type's remarks).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Whether a call made while serving another (<see cref="AnaCallContext.Current"/> has a <see cref="AnaCallContext.Deadline"/>)
    /// is held to the time that call has left, as gRPC propagates deadlines: on by default. A call whose serving call's
    /// deadline has already passed fails at once with <see cref="AnaTimeoutException"/>, without being sent.
    /// </summary>
    public bool PropagateDeadline { get; init; } = true;

    /// <summary>
    /// How many items of a stream the agent may send before the caller has taken them (see
    /// <see cref="AgentBusOptions.StreamWindow"/>); <see langword="null"/> leaves it to the next in line: the scope, the
    /// client, the bus. At least 1.
    /// </summary>
    public int? StreamWindow { get; init; }

    /// <summary>The options of the innermost <see cref="Scope"/> this asynchronous flow is in, if any.</summary>
    public static AnaCallOptions? Current => Ambient.Value;

    /// <summary>
    /// Applies <paramref name="options"/> to the calls made until the result is disposed, in this asynchronous flow and
    /// what it starts (an <see cref="AsyncLocal{T}"/>): <c>using (AnaCallOptions.Scope(new() { Timeout = TimeSpan.FromSeconds(2) })) { … }</c>.
    /// Scopes nest; disposing one restores the one around it.
    /// </summary>
    public static IDisposable Scope(AnaCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CallScope scope = new(Ambient.Value);
        Ambient.Value = options;
        return scope;
    }

    private sealed class CallScope(AnaCallOptions? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Ambient.Value = outer;
            }
        }
    }
}
