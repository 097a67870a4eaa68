using Ana.Contracts.Infrastructure;
using Ana.Micro;
using Ana.Transport.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ana.Tests.Micro;

/// <summary>The endpoints a served contract shows: one per topic, names unique after mapping, the bare subject as <c>default</c>.</summary>
public sealed class ServedContractServiceTests
{
    public interface IClashingTopics;

    [Fact]
    public async Task Topics_that_map_to_one_name_get_numbered_and_the_bare_subject_belongs_to_default()
    {
        ContractDescriptor<IClashingTopics> contract = new(
            "clash", static (_, _) => null!, static _ => null!, ["a.b", "a_b", "a-b", "a@b", "default"]);
        await using MemoryTransport transport = new($"clash-{Guid.NewGuid():N}");
        SubjectScheme subjects = new("fleet");

        await using MicroService service = ServedContractService.Create(contract, "clash", "clash", subjects, transport, NullLogger.Instance);

        Assert.Equal(["a_b", "a_b_2", "a-b", "a_b_3", "default"], service.Endpoints.Select(e => e.Name));
        Assert.Equal("fleet.clash.query.a@b", service.Endpoints[3].Subject);
        Assert.Same(service.Endpoints[4], service.Find("fleet.clash.query"));
        Assert.Same(service.Endpoints[0], service.Find("fleet.clash.query.a.b"));
        Assert.Null(service.Find("fleet.clash.query.nowhere"));
        Assert.False(service.Endpoints[0].Metadata.ContainsKey(EndpointMetadata.Signature));
        Assert.True(MicroNames.IsSemanticVersion(service.Identity.Version));
    }
}
