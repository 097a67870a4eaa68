using Xunit.Sdk;

namespace Ana.Testing.Skipping;

/// <summary>The theory counterpart of <see cref="SuiteFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Ana.Testing.Skipping.SuiteTheoryDiscoverer", "Ana.Testing")]
public sealed class SuiteTheoryAttribute : TheoryAttribute;
