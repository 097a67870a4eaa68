namespace Ana.Contracts.Internal;

/// <summary>
/// The topic of each query a contract server receives, read from its subject: the contract's own topic strings for
/// its topics (no string made per query), a new string only for a topic the contract does not have.
/// </summary>
internal sealed class ServedTopics
{
    private readonly string[] _topics;
    private readonly int _topicStart;

    /// <param name="topics">The contract's topics, if its descriptor lists them.</param>
    /// <param name="topicStart">Where the topic starts in the subjects the server receives (the bare query subject has none).</param>
    public ServedTopics(IReadOnlyList<string>? topics, int topicStart)
    {
        _topics = topics is null ? [] : [.. topics];
        _topicStart = topicStart;
    }

    public string TopicOf(string subject)
    {
        if (subject.Length <= _topicStart)
        {
            return AgentBus.DefaultTopic;
        }

        ReadOnlySpan<char> topic = subject.AsSpan(_topicStart);
        foreach (string known in _topics)
        {
            if (topic.SequenceEqual(known))
            {
                return known;
            }
        }

        return topic.ToString();
    }
}
