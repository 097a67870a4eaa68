namespace Ana;

/// <summary>
/// The NATS server refused a subscription: the connection's user has no permission to subscribe to the subject
/// (the server answered <c>-ERR 'Permissions Violation for Subscription to "…"'</c>).
/// </summary>
public sealed class AnaPermissionException : AnaException
{
    /// <summary>Creates the exception for a refused subscription to <paramref name="subject"/>.</summary>
    public AnaPermissionException(string subject, string serverError)
        : base(AnaErrorCodes.PermissionDenied, $"The NATS server refused the subscription to '{subject}': {serverError}")
    {
        Subject = subject;
        ServerError = serverError;
    }

    /// <summary>The subject the subscription was refused for.</summary>
    public string Subject { get; }

    /// <summary>The server's error text.</summary>
    public string ServerError { get; }
}
