namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>
/// Whether the JSON context part of the generator is the real one or the stub it is developed against (whose
/// context borrows the reflection-based resolver and reports no ANA007). Tests that need the real part skip on the stub.
/// </summary>
internal static class JsonPart
{
    private static readonly Lazy<bool> Real = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(TestContracts.Scheduler);
        return run.Sources.Any(source => source.HintName.EndsWith(".JsonContext.g.cs", StringComparison.Ordinal)
            && source.SourceText.ToString().Contains("JsonMetadataServices", StringComparison.Ordinal));
    });

    public const string SkipReason = "Needs the JSON context part of the generator (branch json); this branch has its stub.";

    public static bool IsReal => Real.Value;
}
