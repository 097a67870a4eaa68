namespace Ana;

/// <summary>The remote agent answered a call with an error reply.</summary>
public class AnaRemoteException : AnaException
{
    /// <summary>Creates the exception from the error a remote agent sent.</summary>
    public AnaRemoteException(string agent, string topic, string code, string message)
        : base(code, $"{agent}/{topic} failed ({code}): {message}")
    {
        Agent = agent;
        Topic = topic;
        RemoteMessage = message;
    }

    /// <summary>The exception for an error reply: <see cref="AnaOverloadedException"/> for <see cref="AnaErrorCodes.Overloaded"/>.</summary>
    internal static AnaRemoteException For(string agent, string topic, ReplyError error)
        => error.Code == AnaErrorCodes.Overloaded
            ? new AnaOverloadedException(agent, topic, error.Message)
            : new AnaRemoteException(agent, topic, error.Code, error.Message);

    /// <summary>The agent that was called.</summary>
    public string Agent { get; }

    /// <summary>The topic that was called.</summary>
    public string Topic { get; }

    /// <summary>The message as the remote agent sent it.</summary>
    public string RemoteMessage { get; }
}
