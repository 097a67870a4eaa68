namespace Ana.Contracts;

/// <summary>
/// How many items of a streaming method's results (<see cref="IAsyncEnumerable{T}"/>) the agent may send before the
/// caller has taken them: the caller's buffer never holds more, and the agent's iterator waits for credit. Without it, the
/// client's <see cref="AnaCallOptions.StreamWindow"/> or the bus's <see cref="AgentBusOptions.StreamWindow"/> applies; an
/// ambient <see cref="AnaCallOptions.Scope"/> with a window wins over it. Checked by the generator (ANA019).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnaStreamWindowAttribute : Attribute
{
    /// <summary>Sets the window.</summary>
    /// <param name="items">Items; at least 1.</param>
    public AnaStreamWindowAttribute(int items) => Items = items;

    /// <summary>The window, in items.</summary>
    public int Items { get; }
}
