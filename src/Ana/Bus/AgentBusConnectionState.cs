namespace Ana;

/// <summary>Whether an <see cref="AgentBus"/> can reach its server, as a health check reports it.</summary>
public enum AgentBusConnectionState
{
    /// <summary>Connected: publishes and subscriptions work.</summary>
    Connected,

    /// <summary>The connection was lost and the bus is reconnecting: calls fail or wait until it is back.</summary>
    Reconnecting,

    /// <summary>The bus was disposed, or the connection closed for good.</summary>
    Closed,
}
