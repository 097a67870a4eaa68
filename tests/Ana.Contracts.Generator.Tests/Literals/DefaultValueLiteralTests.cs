using Ana.Contracts.Generator.Tests.Infrastructure;

namespace Ana.Contracts.Generator.Tests.Literals;

/// <summary>
/// A default value reads the same in every generated file: an enum default of a contract parameter (in the dispatcher)
/// and of a DTO's constructor parameter (in the JSON context) is written by member name, or cast when no member has the value.
/// </summary>
public sealed class DefaultValueLiteralTests
{
    private const string Contract = """
        using System;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo;

        [Flags]
        public enum Mode { None = 0, Fast = 1, Safe = 2 }

        public sealed record Request(Mode Mode = Mode.Safe, Mode Combined = Mode.Fast | Mode.Safe);

        [AnaAgent("literals")]
        public partial interface ILiterals
        {
            Task RunAsync(Request request, Mode mode = Mode.Safe, Mode combined = Mode.Fast | Mode.Safe);
        }
        """;

    [Theory]
    [InlineData("mode", "global::Demo.Mode.Safe")]
    [InlineData("combined", "(global::Demo.Mode)(3)")]
    public void Enum_defaults_agree_between_the_arguments_and_the_json_context(string parameter, string literal)
    {
        GeneratorRun run = GeneratorHarness.Run(Contract);

        Assert.Empty(run.Diagnostics);
        Assert.Contains($"{parameter} = {literal};", run.Source("Demo.ILiterals.Arguments.g.cs"), StringComparison.Ordinal);
        Assert.Contains($"DefaultValue = {literal},", run.Source("Demo.ILiterals.JsonContext.g.cs"), StringComparison.Ordinal);
        Assert.Empty(run.CompilationProblems());
    }
}
