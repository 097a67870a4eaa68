namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>Contract baselines as the generator emits them when a build asks it to update them.</summary>
internal static class Baselines
{
    /// <summary>The baseline of the contract <paramref name="contract"/> (e.g. <c>Demo.IShop</c>) declared in <paramref name="source"/>.</summary>
    public static string Record(string source, string contract)
    {
        GeneratorRun run = GeneratorHarness.Run(source, [], ("AnaUpdateContractBaselines", "true"));
        Assert.Empty(run.Diagnostics);
        string[] lines = run.Source(contract + ".AnaBaseline.g.cs").ReplaceLineEndings("\n").Split('\n');
        int start = Array.IndexOf(lines, "#if ANA_CONTRACT_BASELINE");
        int end = Array.IndexOf(lines, "#endif");
        return string.Join('\n', lines[(start + 1)..end]) + "\n";
    }
}
