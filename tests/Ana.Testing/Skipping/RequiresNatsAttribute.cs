namespace Ana.Testing.Skipping;

/// <summary>
/// Marks the class that runs a transport-independent suite on NATS: its <see cref="SuiteFactAttribute"/> and
/// <see cref="SuiteTheoryAttribute"/> tests are skipped when <c>ANA_SKIP_NATS=1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresNatsAttribute : Attribute;
