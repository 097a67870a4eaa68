using Xunit.Sdk;

namespace Ana.Testing.Skipping;

/// <summary>
/// A fact of a suite written once (an abstract class) and run on several transports: skipped when the class that runs
/// it has <see cref="RequiresNatsAttribute"/> and <c>ANA_SKIP_NATS=1</c>.
/// </summary>
[XunitTestCaseDiscoverer("Ana.Testing.Skipping.SuiteFactDiscoverer", "Ana.Testing")]
public sealed class SuiteFactAttribute : FactAttribute;
