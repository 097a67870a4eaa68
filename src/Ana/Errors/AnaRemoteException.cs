namespace Ana;

/// <summary>The remote agent answered a call with an error reply.</summary>
public sealed class AnaRemoteException : AnaException
{
    /// <summary>Creates the exception from the error a remote agent sent.</summary>
    public AnaRemoteException(string agent, string topic, string code, string message)
        : base(code, $"{agent}/{topic} failed ({code}): {message}")
    {
        Agent = agent;
        Topic = topic;
        RemoteMessage = message;
    }

    /// <summary>The agent that was called.</summary>
    public string Agent { get; }

    /// <summary>The topic that was called.</summary>
    public string Topic { get; }

    /// <summary>The message as the remote agent sent it.</summary>
    public string RemoteMessage { get; }
}
