using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ana.Testing.Skipping;

/// <summary>The skipped test case the suite discoverers hand out instead of the real ones.</summary>
internal static class SuiteSkip
{
    public static IXunitTestCase[]? TestCase(IMessageSink diagnosticMessageSink, ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod)
    {
        bool needsNats = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresNatsAttribute).AssemblyQualifiedName).Any();
        if (!needsNats || !NatsSkip.Requested)
        {
            return null;
        }

        return
        [
            new XunitSkippedDataRowTestCase(
                diagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod,
                NatsSkip.Reason),
        ];
    }
}
