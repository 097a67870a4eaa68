namespace Ana;

/// <summary>
/// A stored query JetStream delivered, as a handler slot sees it while running it (<see cref="Durable.WorkDelivery"/>).
/// </summary>
/// <remarks>
/// An interface rather than the delivery itself because NativeAOT compiles every method a program can call directly:
/// reached through this interface, the JetStream settling code is kept only in a binary that creates deliveries, that
/// is, one that serves a durable contract (docs/aot.md, "The size since durable work").
/// </remarks>
internal interface IStoredWork : IDisposable
{
    /// <summary>Which delivery this is: 1 the first time, more after a server died on it, a lost ack or a retry.</summary>
    int Attempt { get; }

    /// <summary>The handler of its topic.</summary>
    EnvelopeHandler Handler { get; }

    /// <summary>Whether its reply is kept for a completion record (a call whose topic keeps records).</summary>
    bool KeepsReply { get; }

    /// <summary>
    /// The deadline of <paramref name="query"/> (when JetStream stored it plus its <c>timeout_s</c>), and how long the
    /// server lets it run from now (to that deadline plus the clock-skew allowance); <see langword="null"/> for a
    /// one-way message.
    /// </summary>
    (DateTimeOffset Deadline, TimeSpan Left)? DeadlineOf(Query query);

    /// <summary>Settles it once its handler ended (see <see cref="Durable.WorkTopic.SettleAsync"/>).</summary>
    ValueTask SettleAsync(Exception? failure, bool stopped, byte[]? reply);
}
