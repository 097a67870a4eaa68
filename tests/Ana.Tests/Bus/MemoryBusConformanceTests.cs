using Ana.Transport.Memory;

namespace Ana.Tests.Bus;

/// <summary>The bus conformance suite on the in-process broker.</summary>
public sealed class MemoryBusConformanceTests : BusConformanceTests
{
    private readonly string _name = $"conformance-{Guid.NewGuid():N}";

    protected override string Url => $"memory://{_name}";

    protected override async Task PublishRawAsync(string subject, byte[] payload, string? replyTo = null)
    {
        await using MemoryTransport transport = new(_name);
        await transport.PublishAsync(subject, replyTo, payload, CancellationToken.None);
    }
}
