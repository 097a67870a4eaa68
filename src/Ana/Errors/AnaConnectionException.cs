namespace Ana;

/// <summary>
/// The bus could not reach its server: nothing listening, the handshake timed out, or TLS or authentication was refused.
/// The message names the server(s) with credentials masked; <see cref="Exception.InnerException"/> holds the client's cause.
/// </summary>
public sealed class AnaConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnaConnectionException()
    {
    }

    /// <summary>Creates the exception with a message that names the server and the problem.</summary>
    public AnaConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the client's cause.</summary>
    public AnaConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
