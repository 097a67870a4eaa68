namespace Ana.Testing.Nats;

/// <summary>nats-server did not come up.</summary>
public sealed class NatsServerStartException : Exception
{
    public NatsServerStartException()
    {
    }

    public NatsServerStartException(string message)
        : base(message)
    {
    }

    public NatsServerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
