namespace Ana.Tests;

/// <summary>
/// Tests that must not share the machine with others: those that measure the managed heap (other tests' allocations
/// would count) and those that load every core on purpose (other tests' deadlines would pay for it). xunit runs a
/// collection that disables parallelization on its own, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "runs alone";
}
