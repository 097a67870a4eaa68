using Ana.Micro;

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

    /// <summary>What this subscription serves, when it serves a contract: announced in discovery envelopes.</summary>
    internal ServedAgent? Serves { get; set; }

    /// <summary>The NATS micro service of a served contract, stopped with the subscription; <see langword="null"/> without discovery.</summary>
    internal MicroService? Micro { get; init; }

    /// <summary>The pulls of a served contract's durable methods from JetStream, stopped before the dispatcher.</summary>
    internal IAsyncDisposable? Work { get; set; }

    /// <summary>The handler slots the subscription's envelopes, and its stored work, run in.</summary>
    internal InboundDispatcher Dispatcher => _dispatcher;

    /// <summary>How many transport subscriptions it holds: two when it also listens on a bare query subject.</summary>
    internal int TransportSubscriptions => _dispatcher.TransportSubscriptions;

    /// <summary>
    /// Stops receiving and cancels the running handlers' tokens, then waits for them at most
    /// <see cref="AgentBusOptions.ShutdownGrace"/>. Queries that were queued but not started are dropped; use
    /// <see cref="DrainAsync"/> to finish the running ones and answer the queued ones instead.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _owner.Remove(this);
        if (Work is not null)
        {
            await Work.DisposeAsync().ConfigureAwait(false);
        }

        if (Micro is not null)
        {
            await Micro.DisposeAsync().ConfigureAwait(false);
        }

        await _dispatcher.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops gracefully: takes no new queries, lets the running handlers finish with their replies sent (their tokens
    /// are not cancelled), and answers each query that was queued but not started with an error reply of code
    /// <see cref="AnaErrorCodes.Unavailable"/>, so that its caller learns at once instead of at its timeout. What is
    /// still running when <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> fires is stopped as
    /// by <see cref="DisposeAsync"/>. The subscription is disposed when this returns.
    /// </summary>
    /// <param name="timeout">How long the running handlers may take; between zero and 24 days.</param>
    /// <param name="cancellationToken">Ends the drain early, as if the timeout had passed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative or longer than 24 days.</exception>
    public ValueTask DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        CallTimeouts.ValidateStop(timeout, nameof(timeout));
        _owner.Remove(this);
        return DrainWithinAsync(this, timeout, cancellationToken);
    }

    /// <summary>Drains without leaving the bus's set: the bus drains the subscriptions it took out of the set itself.</summary>
    /// <remarks>A served contract stops being discoverable first: a draining agent is no longer a service to call.</remarks>
    internal async ValueTask DrainCoreAsync(CancellationToken cancellationToken)
    {
        if (Work is not null)
        {
            await Work.DisposeAsync().ConfigureAwait(false);
        }

        if (Micro is not null)
        {
            await Micro.DisposeAsync().ConfigureAwait(false);
        }

        await _dispatcher.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DrainWithinAsync(AgentSubscription subscription, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await subscription.DrainCoreAsync(deadline.Token).ConfigureAwait(false);
    }
}
