namespace Ana;

/// <summary>
/// The agent called was busy and refused the call at once, without starting it (error code
/// <see cref="AnaErrorCodes.Overloaded"/>): safe to retry later or with another agent.
/// </summary>
public sealed class AnaOverloadedException : AnaRemoteException
{
    /// <summary>Creates the exception from the error a remote agent sent.</summary>
    public AnaOverloadedException(string agent, string topic, string message)
        : base(agent, topic, AnaErrorCodes.Overloaded, message)
    {
    }
}
