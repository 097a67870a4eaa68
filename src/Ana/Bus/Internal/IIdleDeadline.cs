namespace Ana;

/// <summary>
/// A call or stream that fails when its agent gives no sign of life within the heartbeat deadline
/// (<see cref="Contracts.Infrastructure.ContractCallSignals"/> watches it). An interface rather than a delegate so that
/// watching a call allocates nothing beyond the watcher.
/// </summary>
internal interface IIdleDeadline
{
    /// <summary>Fails it with <paramref name="timeout"/>; whether this ended it (it may have ended already).</summary>
    bool FailIdle(AnaTimeoutException timeout);
}
