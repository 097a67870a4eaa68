using Ana.Contracts.Generator.Tests.Infrastructure;

namespace Ana.Contracts.Generator.Tests.Snapshots;

/// <summary>
/// The generated client, dispatcher and registration of each test contract, against the committed
/// <c>*.verified.cs</c> files. The JSON context files are left to the JSON context's own tests.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Scheduler() => VerifyContract(TestContracts.Scheduler);

    [Fact]
    public void Nested() => VerifyContract(TestContracts.Nested);

    [Fact]
    public void Naming_policies() => VerifyContract(TestContracts.NamingPolicies);

    [Fact]
    public void Optional() => VerifyContract(TestContracts.Optional);

    [Fact]
    public void Value_tasks() => VerifyContract(TestContracts.ValueTasks);

    [Fact]
    public void User_context() => VerifyContract(TestContracts.UserContext, withSystemTextJson: true);

    [Fact]
    public void Name_clashes() => VerifyContract(TestContracts.NameClashes);

    [Fact]
    public void Inheritance() => VerifyContract(TestContracts.Inheritance);

    [Fact]
    public void Streaming() => VerifyContract(TestContracts.Streaming);

    [Fact]
    public void Long_running() => VerifyContract(TestContracts.LongRunning);

    [Fact]
    public void Durable() => VerifyContract(TestContracts.Durable);

    private static void VerifyContract(
        string source,
        bool withSystemTextJson = false,
        [System.Runtime.CompilerServices.CallerFilePath] string testFile = "",
        [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        GeneratorRun run = GeneratorHarness.Run(source, withSystemTextJson: withSystemTextJson);
        Assert.Empty(run.Diagnostics);
        Snapshot.Verify(
            run.Sources
                .Where(source => !source.HintName.EndsWith(".JsonContext.g.cs", StringComparison.Ordinal))
                .Select(source => (source.HintName, source.SourceText.ToString())),
            testFile,
            testMethod);
    }
}
