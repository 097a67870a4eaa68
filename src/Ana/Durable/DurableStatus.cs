namespace Ana;

/// <summary>What the durable work of a prefix looks like now (<see cref="DurableWork.GetStatusAsync"/>): its streams and the consumers of its work stream.</summary>
/// <param name="Streams">The work stream, the parked stream and the completion records' stream, each whether it exists or not.</param>
/// <param name="Consumers">The consumers of the work stream, one per durable (agent, topic), ordered by filter subject.</param>
public sealed record DurableStatus(IReadOnlyList<DurableStreamStatus> Streams, IReadOnlyList<DurableConsumerStatus> Consumers);

/// <summary>One stream of durable work.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="Exists">Whether it exists (a server of the prefix creates it at its first <c>ServeAsync</c> of a durable contract).</param>
/// <param name="Messages">
/// How many messages it stores. For the work stream this is not the pending work: after a <c>kill -9</c> of nats-server,
/// acknowledged messages may be counted again; <see cref="DurableConsumerStatus.Pending"/> and
/// <see cref="DurableConsumerStatus.InFlight"/> are.
/// </param>
/// <param name="Bytes">How many bytes they take.</param>
public sealed record DurableStreamStatus(string Name, bool Exists, long Messages, long Bytes);

/// <summary>The consumer of one durable (agent, topic), shared by all the agent's servers.</summary>
/// <param name="Name">The consumer's name (<c>ana_</c> and a hash of its filter subject).</param>
/// <param name="FilterSubject">The subject it takes: <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>.</param>
/// <param name="Pending">Stored messages not yet delivered.</param>
/// <param name="InFlight">Messages delivered to a server and not yet acknowledged.</param>
/// <param name="Redelivered">Of those in flight, how many had been delivered before.</param>
/// <param name="WaitingPulls">Pulls the agent's servers have open: zero means no server takes this work now.</param>
public sealed record DurableConsumerStatus(string Name, string FilterSubject, ulong Pending, long InFlight, long Redelivered, int WaitingPulls);
