using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ana.Testing.Skipping;

/// <summary>Finds <see cref="SuiteTheoryAttribute"/> tests: one skipped test case where the class needs NATS and ANA_SKIP_NATS=1.</summary>
public sealed class SuiteTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
        => SuiteSkip.TestCase(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
