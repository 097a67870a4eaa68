namespace Ana;

/// <summary>
/// How a bus stores durable work on JetStream (<see cref="AgentBusOptions.Durable"/>): the work-queue stream of the
/// fleet's prefix and how publishing waits for it. docs/durable.md describes the stream and its defaults.
/// </summary>
public sealed record DurableOptions
{
    /// <summary>How long a stored message is kept before JetStream discards it unprocessed; 7 days by default. At least <see cref="DuplicateWindow"/>.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The most the work stream may hold, in bytes; unlimited (<see langword="null"/>) by default. A full stream refuses new work (<c>discard: new</c>).</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Within this window a message published again with the same id is stored once; 2 minutes by default.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a durable one-way publish waits for JetStream to confirm storage, retrying with the same id; 10 s by default.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The timeout of a durable call whose method has no <see cref="Contracts.AnaTimeoutAttribute"/>; 60 s by default. A
    /// durable call is only rescued by a redelivery when its timeout exceeds <see cref="AckWait"/> plus the handler's
    /// time, which the bus's usual 5 s never does.
    /// </summary>
    public TimeSpan DefaultCallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long parked messages are kept; for ever (<see langword="null"/>) by default.</summary>
    public TimeSpan? ParkedMaxAge { get; init; }

    /// <summary>
    /// How long a server may hold a delivered message before JetStream gives it to another (it extends the time while
    /// the handler runs); 30 s by default. Set on the consumers the SDK creates.
    /// </summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many messages of one (agent, topic) all its servers together may hold unacknowledged; 1,000 by default.</summary>
    public int MaxAckPending { get; init; } = 1_000;

    /// <summary>
    /// Whether the SDK updates an existing consumer whose settings differ from its own (<see langword="false"/>, the
    /// default: it logs a warning once and uses the server's settings). A consumer with another filter is never updated.
    /// </summary>
    public bool UpdateServerConfig { get; init; }

    /// <summary>
    /// Whether the SDK creates the streams it needs (<see langword="true"/>, the default) or only checks that an operator
    /// created them (and the consumers) as docs/durable.md describes.
    /// </summary>
    public bool Manage { get; init; } = true;

    /// <summary>
    /// Whether servers keep completion records (<see langword="true"/>, the default): after a stored message's handler ends
    /// and before it is acknowledged, a record in the key-value bucket <c>ANA_DONE_&lt;prefix&gt;</c> says it is done, so
    /// that a delivery of it again (a lost ack, a server restart) is acknowledged without running it (a call's recorded
    /// reply is sent again). Off, each stored message costs one store write less and a redelivery runs its handler again.
    /// </summary>
    public bool CompletionRecords { get; init; } = true;

    /// <summary>How long completion records are kept (the bucket's age limit); 24 hours by default. A message delivered again after that runs again.</summary>
    public TimeSpan CompletionMaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The clock a server reads stored calls' deadlines on (storage time plus <c>timeout_s</c>, allowing
    /// <see cref="AgentBusOptions.ClockSkewAllowance"/>) and times in-progress acknowledgements with; the system's by default.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
