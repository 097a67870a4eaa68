using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ana.Testing.Skipping;

/// <summary>Finds <see cref="SuiteFactAttribute"/> tests: one skipped test case where the class needs NATS and ANA_SKIP_NATS=1.</summary>
public sealed class SuiteFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => SuiteSkip.TestCase(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, factAttribute);
}
