namespace Ana;

/// <summary>JetStream's confirmation that a durable message is stored (<see cref="AgentBus.EnqueueDurableAsync"/>).</summary>
/// <param name="RequestId">The message's request id: the idempotency key when one was given.</param>
/// <param name="Stream">The stream that stores it.</param>
/// <param name="Sequence">Its sequence number in that stream.</param>
/// <param name="Duplicate">Whether the stream had it already (published again within the duplicate window): stored once.</param>
public sealed record DurableReceipt(string RequestId, string Stream, ulong Sequence, bool Duplicate);
