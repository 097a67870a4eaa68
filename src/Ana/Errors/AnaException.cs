namespace Ana;

/// <summary>
/// An error with an ana error code. Thrown by a query handler, it travels to the caller as is, as a
/// <see cref="Reply"/> whose <see cref="Reply.Error"/> carries <see cref="Code"/> and the message.
/// </summary>
public class AnaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">A stable machine-readable code, e.g. <c>bad_request</c> or an application's own.</param>
    /// <param name="message">A description for people.</param>
    public AnaException(string code, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public AnaException(string code, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>The machine-readable error code.</summary>
    public string Code { get; }
}
