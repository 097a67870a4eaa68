namespace Ana;

/// <summary>
/// The NATS server refused a subscription, or a publish that the caller waited for (a durable message): the connection's
/// user has no permission for the subject (the server answered <c>-ERR 'Permissions Violation for Subscription to "…"'</c>
/// or <c>'… for Publish to "…"'</c>).
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

    /// <summary>Creates the exception for a refusal described by <paramref name="message"/>.</summary>
    internal AnaPermissionException(string subject, string serverError, string message)
        : base(AnaErrorCodes.PermissionDenied, message)
    {
        Subject = subject;
        ServerError = serverError;
    }

    /// <summary>The subject the subscription (or publish) was refused for.</summary>
    public string Subject { get; }

    /// <summary>The server's error text.</summary>
    public string ServerError { get; }
}
