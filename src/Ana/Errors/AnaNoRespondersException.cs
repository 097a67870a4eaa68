namespace Ana;

/// <summary>Nobody subscribes to the subject a query was sent to: no agent could have answered.</summary>
public sealed class AnaNoRespondersException : AnaException
{
    /// <summary>Creates the exception for a query to <paramref name="subject"/>.</summary>
    public AnaNoRespondersException(string subject)
        : base(AnaErrorCodes.NoResponders, $"No agent listens on '{subject}'.")
    {
        Subject = subject;
    }

    /// <summary>The query subject nobody listens on.</summary>
    public string Subject { get; }
}
