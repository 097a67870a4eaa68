using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary><see cref="AgentBus.ConnectionState"/>: what a health check reports.</summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task A_bus_is_connected_once_connected_and_closed_once_disposed()
    {
        AgentBus bus = await AgentBus.ConnectAsync("state", Options);
        Assert.Equal(AgentBusConnectionState.Connected, bus.ConnectionState);

        await bus.DisposeAsync();

        Assert.Equal(AgentBusConnectionState.Closed, bus.ConnectionState);
    }
}
