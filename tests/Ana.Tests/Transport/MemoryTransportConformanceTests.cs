using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

/// <summary>The transport conformance suite on the in-process broker.</summary>
public sealed class MemoryTransportConformanceTests : TransportConformanceTests
{
    private readonly string _broker = MemoryTestKit.NewBrokerName();

    private protected override Task<ITransport> OpenAsync() => Task.FromResult<ITransport>(new MemoryTransport(_broker));

    private protected override Task FlushAsync(ITransport transport) => Task.CompletedTask;
}
