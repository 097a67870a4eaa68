namespace Ana.Transport;

/// <summary>
/// The transport could not reach its server (nothing listening, handshake timed out, TLS or authentication refused).
/// The message names the server(s) with credentials redacted; <see cref="Exception.InnerException"/> holds the client's cause.
/// </summary>
internal sealed class TransportConnectException : Exception
{
    public TransportConnectException()
    {
    }

    public TransportConnectException(string message)
        : base(message)
    {
    }

    public TransportConnectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
