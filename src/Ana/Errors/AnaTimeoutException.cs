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

    /// <summary>The agent that was called.</summary>
    public string Agent { get; }

    /// <summary>The topic that was called.</summary>
    public string Topic { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }
}
