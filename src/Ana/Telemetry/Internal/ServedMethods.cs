using System.Collections.Concurrent;

namespace Ana.Telemetry;

/// <summary>
/// The telemetry name (<c>{contract}/{topic}</c>) of the calls a contract server receives, by query subject: remembered
/// for the first <see cref="MaxRemembered"/> subjects, so that a sender inventing topics cannot grow the table without bound.
/// </summary>
internal sealed class ServedMethods
{
    private const int MaxRemembered = 256;

    private readonly string _contract;
    private readonly int _topicStart;
    private readonly ConcurrentDictionary<string, string> _methods = new(StringComparer.Ordinal);
    private int _remembered;

    /// <param name="contract">The contract's name.</param>
    /// <param name="topicStart">Where the topic starts in the subjects the server receives (the bare query subject has none).</param>
    public ServedMethods(string contract, int topicStart)
    {
        _contract = contract;
        _topicStart = topicStart;
    }

    /// <summary>Names the calls that arrive on <paramref name="subject"/>, whose topic is not where <c>query</c> subjects have it (a durable topic's <c>work</c> subject).</summary>
    public void Remember(string subject, string topic)
    {
        if (_methods.TryAdd(subject, string.Concat(_contract, "/", topic)))
        {
            Interlocked.Increment(ref _remembered);
        }
    }

    public string MethodOf(string subject)
    {
        if (_methods.TryGetValue(subject, out string? method))
        {
            return method;
        }

        method = string.Concat(_contract, "/", subject.Length > _topicStart ? subject.AsSpan(_topicStart) : AgentBus.DefaultTopic);
        if (Volatile.Read(ref _remembered) < MaxRemembered && _methods.TryAdd(subject, method))
        {
            Interlocked.Increment(ref _remembered);
        }

        return method;
    }
}
