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

    /// <summary>
    /// The exception for an error reply, with where the error was raised and the calls it came back through:
    /// <see cref="AnaOverloadedException"/> for <see cref="AnaErrorCodes.Overloaded"/>.
    /// </summary>
    internal static AnaRemoteException For(string agent, string topic, ReplyError error)
    {
        AnaRemoteException exception = error.Code == AnaErrorCodes.Overloaded
            ? new AnaOverloadedException(agent, topic, error.Message)
            : new AnaRemoteException(agent, topic, error.Code, error.Message);
        exception.Origin = error.Origin;
        exception.Via = error.Via ?? [];
        return exception;
    }

    /// <summary>
    /// Where the error was raised: the agent, topic and request id of that call, which may be further down a chain of
    /// calls than <see cref="Agent"/>; <see langword="null"/> when the replying agent did not say (a Python peer).
    /// </summary>
    public ErrorOrigin? Origin { get; private set; }

    /// <summary>The calls the error came back through after <see cref="Origin"/>, nearest the origin first; empty when it comes straight from there.</summary>
    public IReadOnlyList<ErrorOrigin?> Via { get; private set; } = [];

    /// <summary>The agent that was called.</summary>
    public string Agent { get; }

    /// <summary>The topic that was called.</summary>
    public string Topic { get; }

    /// <summary>The message as the remote agent sent it.</summary>
    public string RemoteMessage { get; }
}
