using System.Reflection;
using System.Text.Json.Serialization;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>
/// Builds, once, our context over the DTOs compiled into the test assembly (snake_case, like <c>ReferenceJsonContext</c>),
/// compiles the emitted source in memory and loads it.
/// </summary>
public sealed class GeneratedContextFixture
{
    /// <summary>The roots: what a contract would pass (parameters and results).</summary>
    public static readonly string[] RootNames =
    [
        "Everything", "Job", "Submission", "Primitives", "Collections", "TreeNode", "Outer", "Annotated", "DerivedEvent",
        "Point", "Range", "Money", "Chosen", "Defaults", "WithSetsRequired", "Mixed", "InitDefaults", "JobState", "Permissions",
    ];

    public GeneratedContextFixture()
    {
        Compilation compilation = TestCompilations.Create("Roots", TestCompilations.RuntimeReferences);
        INamedTypeSymbol job = TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Job");
        List<ITypeSymbol> roots = RootNames.Select(n => (ITypeSymbol)TestCompilations.Type(compilation, TestCompilations.DtoNamespace + "." + n)).ToList();
        roots.Add(TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Page`1").Construct(job));
        roots.Add(TestCompilations.Type(compilation, "System.Collections.Generic.List`1").Construct(job));
        roots.Add(TestCompilations.Type(compilation, "System.Collections.Generic.Dictionary`2")
            .Construct(compilation.GetSpecialType(SpecialType.System_String), job));
        roots.Add(compilation.CreateArrayTypeSymbol(job));
        roots.Add(compilation.GetSpecialType(SpecialType.System_Int64));
        roots.Add(compilation.GetSpecialType(SpecialType.System_Nullable_T).Construct(compilation.GetSpecialType(SpecialType.System_Int32)));
        roots.Add(compilation.GetSpecialType(SpecialType.System_String));

        Model = TestCompilations.BuildModel(compilation, JsonNamingPolicyKind.SnakeCaseLower, roots.ToArray());
        Source = JsonContextEmitter.Emit(Model);
        Compilation generated = TestCompilations.Create("GeneratedJsonContext", TestCompilations.RuntimeReferences, ("TestJsonContext.g.cs", Source));
        Assembly assembly = TestCompilations.EmitAndLoad(generated, Source);
        Type contextType = assembly.GetType("Ana.Generated.TestJsonContext", throwOnError: true)!;
        Context = (JsonSerializerContext)contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    internal JsonContextModel Model { get; }

    public string Source { get; }

    /// <summary>Our context's <c>Default</c> instance.</summary>
    public JsonSerializerContext Context { get; }
}
