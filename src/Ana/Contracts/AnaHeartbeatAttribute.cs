namespace Ana.Contracts;

/// <summary>
/// Separates "alive" from "too long" for a long-running method (on a method), or for every method that is not one-way
/// (on the contract): the call fails with <see cref="AnaTimeoutException"/> (<see cref="AnaTimeoutException.IsIdle"/>)
/// when no sign of life (the reply, a stream's item, a progress report, or an "alive" heartbeat its agent sends every
/// third of this time while the method runs) comes for this many seconds, while <see cref="AnaTimeoutAttribute"/> stays
/// the overall limit. A worker killed mid-call or mid-stream is noticed within this time even when the call may take an
/// hour. Checked by the generator (ANA022); one-way methods have none.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = false)]
public sealed class AnaHeartbeatAttribute : Attribute
{
    /// <summary>Sets the heartbeat deadline.</summary>
    /// <param name="seconds">Seconds; greater than zero.</param>
    public AnaHeartbeatAttribute(double seconds) => Seconds = seconds;

    /// <summary>The heartbeat deadline in seconds.</summary>
    public double Seconds { get; }
}
