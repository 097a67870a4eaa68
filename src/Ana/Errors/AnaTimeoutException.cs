namespace Ana;

/// <summary>No reply came in time.</summary>
public sealed class AnaTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a call to <paramref name="agent"/>/<paramref name="topic"/>.</summary>
    public AnaTimeoutException(string agent, string topic, TimeSpan timeout)
        : base($"{agent}/{topic} did not reply within {timeout.TotalSeconds:0.###} s.")
    {
        Agent = agent;
        Topic = topic;
        Timeout = timeout;
    }

    /// <summary>For a call with a heartbeat deadline that passed: no sign of life came for <paramref name="idle"/>.</summary>
    internal AnaTimeoutException(string agent, string topic, TimeSpan idle, bool idleDeadline)
        : base($"{agent}/{topic} gave no sign of life (a reply, a progress report or a heartbeat) for {idle.TotalSeconds:0.###} s, its heartbeat deadline: the agent serving it may have stopped.")
    {
        Agent = agent;
        Topic = topic;
        Timeout = idle;
        IsIdle = idleDeadline;
    }

    /// <summary>
    /// Whether the call failed because no sign of life came within its heartbeat deadline (<c>[AnaHeartbeat]</c>),
    /// rather than because its overall timeout (<c>[AnaTimeout]</c>) passed; <see cref="Timeout"/> is that deadline.
    /// </summary>
    public bool IsIdle { get; }

    /// <summary>The agent that was called.</summary>
    public string Agent { get; }

    /// <summary>The topic that was called.</summary>
    public string Topic { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }
}
