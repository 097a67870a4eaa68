using Ana.Micro;

namespace Ana.Tests.Micro;

/// <summary>How agent names, topics and versions become ADR-32's service names, endpoint names and semantic versions.</summary>
public sealed class MicroNamesTests
{
    [Theory]
    [InlineData("bob", "bob")]
    [InlineData("worker-2_b", "worker-2_b")]
    [InlineData("orders.place", "orders_place")]
    [InlineData("stock@eu", "stock_eu")]
    [InlineData("café", "caf_")]
    [InlineData("a:b/c", "a_b_c")]
    public void Names_keep_ADR_32_characters_and_map_every_other_to_an_underscore(string name, string mapped)
        => Assert.Equal(mapped, MicroNames.Map(name));

    [Theory]
    [InlineData("1.2.0", true)]
    [InlineData("0.1.0-dev.20261202+3f2a1bc", true)]
    [InlineData("1.0.0+sha.abc123", true)]
    [InlineData("1.2", false)]
    [InlineData("1.2.3.4", false)]
    [InlineData("01.2.3", false)]
    [InlineData("v1.2.3", false)]
    [InlineData("", false)]
    public void Semantic_versions_are_recognised_as_semver_org_defines_them(string version, bool valid)
        => Assert.Equal(valid, MicroNames.IsSemanticVersion(version));

    [Theory]
    [InlineData("2.0.0", "1.0.0+abc", "1.0.0.0", "2.0.0")]
    [InlineData(null, "1.4.0+3f2a1bc", "1.0.0.0", "1.4.0+3f2a1bc")]
    [InlineData(null, "1.4 beta", "1.4.2.7", "1.4.2")]
    [InlineData(null, null, "3.1.0.0", "3.1.0")]
    [InlineData(null, null, "3.1", "3.1.0")]
    [InlineData(null, null, null, "0.0.0")]
    public void The_version_is_the_declared_one_else_the_assembly_informational_else_assembly_version_else_zero(
        string? declared, string? informational, string? assemblyVersion, string expected)
        => Assert.Equal(expected, MicroNames.VersionOf(declared, informational, assemblyVersion is null ? null : Version.Parse(assemblyVersion), "IX"));

    [Fact]
    public void A_declared_version_that_is_not_semantic_is_refused_with_the_way_out()
    {
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => MicroNames.VersionOf("1.2", "1.0.0", null, "Demo.IX"));
        Assert.Contains("Demo.IX", refused.Message);
        Assert.Contains("AgentBusOptions.MicroDiscovery", refused.Message);
    }
}
