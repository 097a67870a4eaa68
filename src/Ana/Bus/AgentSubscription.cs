namespace Ana;

/// <summary>A running subscription of an <see cref="AgentBus"/>; dispose it to stop receiving.</summary>
public sealed class AgentSubscription : IAsyncDisposable
{
    private readonly InboundDispatcher _dispatcher;
    private readonly SubscriptionSet _owner;

    internal AgentSubscription(InboundDispatcher dispatcher, SubscriptionSet owner)
    {
        _dispatcher = dispatcher;
        _owner = owner;
    }

    /// <summary>The subject, possibly a wildcard, this subscription listens on.</summary>
    public string Subject => _dispatcher.Subject;

    /// <summary>Stops receiving, cancels the running handlers' tokens and waits for them to finish.</summary>
    public ValueTask DisposeAsync()
    {
        _owner.Remove(this);
        return _dispatcher.DisposeAsync();
    }
}
