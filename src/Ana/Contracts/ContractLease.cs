namespace Ana.Contracts;

/// <summary>
/// The implementation that answers one call, and what owns it (a dependency-injection scope, say): the server disposes
/// <see cref="Owner"/> when the call ends, whether it returned, threw or was cancelled.
/// </summary>
/// <typeparam name="TContract">The contract served.</typeparam>
public readonly struct ContractLease<TContract>
    where TContract : class
{
    /// <summary>Leases <paramref name="implementation"/>, owned by <paramref name="owner"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="implementation"/> is <see langword="null"/>.</exception>
    public ContractLease(TContract implementation, IAsyncDisposable? owner)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        Implementation = implementation;
        Owner = owner;
    }

    /// <summary>The implementation that answers the call.</summary>
    public TContract Implementation { get; }

    /// <summary>Disposed when the call ends; <see langword="null"/> when nothing needs disposing.</summary>
    public IAsyncDisposable? Owner { get; }
}
