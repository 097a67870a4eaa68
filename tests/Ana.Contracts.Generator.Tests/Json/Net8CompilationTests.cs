using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Ana.Contracts.Generator.Parsing.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>The emitted context uses only APIs that exist in .NET 8: it compiles cleanly against the .NET 8 reference assemblies.</summary>
public sealed class Net8CompilationTests
{
    [Theory]
    [InlineData("SnakeCaseLower", "public")]
    [InlineData("None", "internal")]
    [InlineData("KebabCaseUpper", "public")]
    public void The_context_over_the_DTOs_compiles_without_warnings_against_net8(string policy, string accessibility)
    {
        Compilation compilation = TestCompilations.Create("Net8Dtos", TestCompilations.Net8References, ("Dtos.cs", TestCompilations.DtoSource));
        TestCompilations.AssertNoErrorsOrWarnings(compilation, TestCompilations.DtoSource);
        Assert.Equal("8.0.0.0", compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly.Identity.Version.ToString());

        INamedTypeSymbol job = TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Job");
        IEnumerable<(ITypeSymbol r, LocationInfo?, string)> roots = GeneratedContextFixture.RootNames
            .Select(n => (ITypeSymbol)TestCompilations.Type(compilation, TestCompilations.DtoNamespace + "." + n))
            .Append(TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Page`1").Construct(job))
            .Append(TestCompilations.Type(compilation, "System.Collections.Generic.IReadOnlyDictionary`2").Construct(compilation.GetSpecialType(SpecialType.System_String), job))
            .Append(compilation.CreateArrayTypeSymbol(job))
            .Select(r => (r, LocationInfo.From(r), "INet8.Method"));
        JsonContextModel model = JsonContextModelBuilder.Build(
            TestCompilations.DtoNamespace + ".Generated",
            "Net8JsonContext",
            accessibility,
            Enum.Parse<JsonNamingPolicyKind>(policy),
            roots,
            new KnownSymbols(compilation),
            CancellationToken.None);
        Assert.Empty(model.Diagnostics);

        string source = JsonContextEmitter.Emit(model);
        Compilation withContext = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, TestCompilations.ParseOptions, "Net8JsonContext.g.cs"));
        TestCompilations.AssertNoErrorsOrWarnings(withContext, source);
    }

    [Fact]
    public void A_context_with_unsupported_members_still_compiles_against_net8()
    {
        const string source = """
            using System;
            using System.Collections.Generic;

            namespace Partial
            {
                public sealed class Holder
                {
                    public Holder(object payload, int count) { Payload = payload; Count = count; }

                    public object Payload { get; }

                    public int Count { get; }

                    public required Action Callback { get; init; }

                    public Dictionary<int, string>? ByNumber { get; set; }
                }
            }
            """;
        Compilation compilation = TestCompilations.Create("Net8Partial", TestCompilations.Net8References, ("Partial.cs", source));
        INamedTypeSymbol holder = TestCompilations.Type(compilation, "Partial.Holder");
        JsonContextModel model = JsonContextModelBuilder.Build(
            null,
            "PartialJsonContext",
            "internal",
            JsonNamingPolicyKind.CamelCase,
            [(holder, LocationInfo.From(holder), "IPartial.Run"), (compilation.GetSpecialType(SpecialType.System_Object), null, "IPartial.Echo")],
            new KnownSymbols(compilation),
            CancellationToken.None);
        Assert.Equal(4, model.Diagnostics.Count);

        string emitted = JsonContextEmitter.Emit(model);
        // The required member is left out of construction (through an [UnsafeAccessor] constructor) rather than set to default.
        Assert.Contains("Holder_Construct(default!, (int)args[0])", emitted);
        Assert.Contains("private static extern global::Partial.Holder Holder_Construct(object arg0, int arg1);", emitted);
        Assert.DoesNotContain("Callback = default!", emitted);
        TestCompilations.AssertNoErrorsOrWarnings(
            compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(emitted, TestCompilations.ParseOptions, "PartialJsonContext.g.cs")), emitted);
    }
}
