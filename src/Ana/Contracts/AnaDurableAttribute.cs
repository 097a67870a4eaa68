namespace Ana.Contracts;

/// <summary>
/// Makes a method's calls durable work on NATS JetStream (docs/durable.md): the generated client stores each call in
/// the prefix's work stream (on <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>) instead of publishing it to whoever
/// listens now, and the agent's servers take it from there, so a call survives "nobody listening" and a worker that dies
/// mid-job. A durable one-way method returns once JetStream has confirmed storage; a durable call waits for its reply
/// within its timeout (<see cref="DurableOptions.DefaultCallTimeout"/> unless <see cref="AnaTimeoutAttribute"/> says
/// otherwise). Work is delivered at least once: a handler may run more than once for one call, so make it idempotent
/// (key its side effects by <see cref="AnaCallContext.RequestId"/>). The method stays callable over core NATS
/// (<c>query</c> subjects) with the usual semantics. Checked by the generator (ANA036): a durable method has one
/// stored message and one reply, so it does not stream, report progress or send heartbeats.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnaDurableAttribute : Attribute
{
    /// <summary>
    /// How many times a one-way handler may fail (or a server die on the message) before the message is parked on
    /// <c>&lt;prefix&gt;.&lt;agent&gt;.parked.&lt;topic&gt;</c>; 5 by default, at least 1.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// The delay before the second attempt of a failed one-way handler, in seconds, doubled for each attempt after it
    /// and capped at 60; 1 by default, greater than zero.
    /// </summary>
    public double RetryDelaySeconds { get; set; } = 1;
}
