namespace Ana;

/// <summary>Counts of what an <see cref="AgentBus"/> has done since it connected.</summary>
/// <param name="Published">Envelopes published.</param>
/// <param name="Received">Envelopes received and parsed on any subscription.</param>
/// <param name="Malformed">Messages dropped because they were not valid envelopes.</param>
/// <param name="UnmatchedReplies">Replies dropped because their request id was unknown, late or a duplicate.</param>
/// <param name="HandlerFailures">Inbound handlers that threw.</param>
public readonly record struct AgentBusStatistics(
    long Published,
    long Received,
    long Malformed,
    long UnmatchedReplies,
    long HandlerFailures)
{
    /// <summary>
    /// Queries dropped before any handler saw them because no answer could be sent: their reply subject or reply-to was
    /// not a valid subject (a wildcard, whitespace, a control character, an empty token, a name over its cap) or would make
    /// a protocol line longer than <see cref="AgentBusOptions.MaxControlLineBytes"/>, which would get the bus's connection
    /// closed by the server.
    /// </summary>
    public long UnanswerableQueries { get; init; }
}
