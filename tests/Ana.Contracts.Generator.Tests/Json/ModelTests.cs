using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Ana.Contracts.Generator.Parsing.Json;
using Ana.Contracts.Generator.Tests.Json.Dtos;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>The model is value-equatable, symbol-free and deterministic; property names follow the documented scheme.</summary>
public sealed class ModelTests
{
    private const string Extra = """
        namespace Extra
        {
            public sealed class Holder
            {
                public object? Bad { get; set; }

                public System.Collections.Generic.List<Ana.Contracts.Generator.Tests.Json.Dtos.Job?>? Jobs { get; set; }

                public string? Text { get; set; }
            }
        }
        """;

    private static readonly string[] Roots =
    [
        "Everything", "Job", "Submission", "Primitives", "Collections", "TreeNode", "Outer", "Annotated", "DerivedEvent",
        "Point", "Range", "Money", "Chosen", "Defaults", "WithSetsRequired", "Mixed", "InitDefaults", "JobState", "Permissions",
    ];

    [Fact]
    public void Models_of_two_equal_compilations_are_equal()
    {
        JsonContextModel first = BuildFromSource();
        JsonContextModel second = BuildFromSource();

        Assert.NotEmpty(first.Types);
        Assert.NotEmpty(first.Diagnostics);
        Assert.All(first.Diagnostics, d => Assert.NotNull(d.Location));
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(JsonContextEmitter.Emit(first), JsonContextEmitter.Emit(second));
    }

    [Fact]
    public void A_changed_type_changes_the_model()
    {
        JsonContextModel original = BuildFromSource();
        JsonContextModel changed = BuildFromSource(Extra.Replace("public string? Text { get; set; }", "public string? Text { get; init; }", StringComparison.Ordinal));
        Assert.NotEqual(original, changed);
    }

    [Fact]
    public void The_model_holds_no_symbol_compilation_syntax_node_or_location()
    {
        JsonContextModel model = BuildFromSource();
        Type[] forbidden = new[] { typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel) };
        HashSet<object> visited = new(ReferenceEqualityComparer.Instance);
        int objects = Walk(model, "model", forbidden, visited);
        Assert.True(objects > 100, $"The walk saw only {objects} objects.");
    }

    [Fact]
    public void Property_names_follow_the_System_Text_Json_scheme()
    {
        Compilation compilation = TestCompilations.Create("Names", TestCompilations.RuntimeReferences);
        INamedTypeSymbol job = TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Job");
        INamedTypeSymbol list = TestCompilations.Type(compilation, "System.Collections.Generic.List`1");
        INamedTypeSymbol dictionary = TestCompilations.Type(compilation, "System.Collections.Generic.Dictionary`2");
        INamedTypeSymbol nullable = compilation.GetSpecialType(SpecialType.System_Nullable_T);
        ITypeSymbol @string = compilation.GetSpecialType(SpecialType.System_String);
        ITypeSymbol int32 = compilation.GetSpecialType(SpecialType.System_Int32);
        ITypeSymbol[] roots =
        [
            job,
            compilation.GetSpecialType(SpecialType.System_Int64),
            list.Construct(job),
            dictionary.Construct(@string, int32),
            nullable.Construct(int32),
            compilation.CreateArrayTypeSymbol(job),
            list.Construct(@string.WithNullableAnnotation(NullableAnnotation.Annotated)),
            TestCompilations.Type(compilation, TestCompilations.DtoNamespace + ".Outer+Inner+Deep"),
        ];
        JsonContextModel model = TestCompilations.BuildModel(compilation, JsonNamingPolicyKind.None, roots);

        Assert.Empty(model.Diagnostics);
        Assert.Equal("Job", Name(model, job));
        Assert.Equal("Int64", Name(model, roots[1]));
        Assert.Equal("ListJob", Name(model, roots[2]));
        Assert.Equal("DictionaryStringInt32", Name(model, roots[3]));
        Assert.Equal("NullableInt32", Name(model, roots[4]));
        Assert.Equal("JobArray", Name(model, roots[5]));
        Assert.Equal("Deep", Name(model, roots[7]));

        // string? and string share one type info.
        Assert.Equal("ListString", Name(model, roots[6]));
        Assert.Equal("String", Name(model, @string.WithNullableAnnotation(NullableAnnotation.Annotated)));
        Assert.Equal("String", model.PropertyNameFor("string"));
        Assert.Equal("ListJob", model.PropertyNameFor("global::System.Collections.Generic.List<global::Ana.Contracts.Generator.Tests.Json.Dtos.Job>"));
        Assert.Throws<ArgumentException>(() => model.PropertyNameFor("global::Nope.Missing"));
    }

    [Fact]
    public void Clashing_names_are_qualified_or_suffixed_deterministically()
    {
        const string source = """
            namespace A { public sealed class Job { public int X { get; set; } } }
            namespace B { public sealed class Job { public int Y { get; set; } } }
            namespace C
            {
                public sealed class Options { public int Z { get; set; } }
                public sealed class ClashJsonContext { public int W { get; set; } }
                public sealed class @class { public int @event { get; set; } public required string @string { get; init; } }
                public struct @struct { public int @int { get; set; } }
                public sealed class Create_Thing { public int U { get; set; } }
                public sealed class Thing { public int T { get; set; } }
                public sealed class Default { public Thing? Thing { get; set; } }
            }
            """;
        Compilation compilation = TestCompilations.Create("Clash", TestCompilations.RuntimeReferences, ("Clash.cs", source));
        INamedTypeSymbol list = TestCompilations.Type(compilation, "System.Collections.Generic.List`1");
        INamedTypeSymbol a = TestCompilations.Type(compilation, "A.Job");
        INamedTypeSymbol b = TestCompilations.Type(compilation, "B.Job");
        ITypeSymbol[] roots =
        [
            a, b, list.Construct(a), list.Construct(b),
            TestCompilations.Type(compilation, "C.Options"),
            TestCompilations.Type(compilation, "C.ClashJsonContext"),
            TestCompilations.Type(compilation, "C.class"),
            TestCompilations.Type(compilation, "C.Create_Thing"),
            TestCompilations.Type(compilation, "C.Default"),
            TestCompilations.Type(compilation, "C.struct"),
        ];
        JsonContextModel model = JsonContextModelBuilder.Build("Gen", "ClashJsonContext", "public", JsonNamingPolicyKind.CamelCase, roots.Select(r => (r, (LocationInfo?)null, "IClash.Run")), new KnownSymbols(compilation), CancellationToken.None);

        Assert.Empty(model.Diagnostics);
        Assert.Equal("A_Job", Name(model, a));
        Assert.Equal("B_Job", Name(model, b));
        Assert.Equal("System_Collections_Generic_List_A_Job", Name(model, roots[2]));
        Assert.Equal("System_Collections_Generic_List_B_Job", Name(model, roots[3]));
        Assert.Equal("Options2", Name(model, roots[4]));
        Assert.Equal("ClashJsonContext2", Name(model, roots[5]));
        Assert.Equal("classType", Name(model, roots[6]));
        Assert.Equal("Default2", Name(model, roots[8]));

        // Create_Thing comes first in the order of full names, so Thing (whose Create_Thing method would clash) moves aside.
        Assert.Equal("Create_Thing", Name(model, roots[7]));
        Assert.Equal("Thing2", model.PropertyNameFor("global::C.Thing"));

        string emitted = JsonContextEmitter.Emit(model);
        TestCompilations.AssertNoErrorsOrWarnings(compilation.AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(emitted, TestCompilations.ParseOptions, "Clash.g.cs")), emitted);
    }

    [Fact]
    public void A_public_context_exposes_internal_types_through_internal_properties()
    {
        const string source = """
            namespace Vis
            {
                internal sealed class Secret { public int A { get; set; } }
                public sealed class Open { public int B { get; set; } public System.Collections.Generic.List<Open>? Children { get; set; } }
                internal sealed class Wrapper { public System.Collections.Generic.List<Open>? Items { get; set; } public Secret[]? Secrets { get; set; } }
            }
            """;
        Compilation compilation = TestCompilations.Create("Visibility", TestCompilations.RuntimeReferences, ("Vis.cs", source));
        JsonContextModel model = JsonContextModelBuilder.Build(
            "Vis", "VisJsonContext", "public", JsonNamingPolicyKind.None,
            new[] { "Vis.Wrapper", "Vis.Secret" }.Select(n => ((ITypeSymbol)TestCompilations.Type(compilation, n), (LocationInfo?)null, "IVis.Run")),
            new KnownSymbols(compilation),
            CancellationToken.None);
        Assert.Empty(model.Diagnostics);
        Assert.Equal("internal", model.Types.Single(t => t.PropertyName == "Secret").PropertyAccessibility);
        Assert.Equal("internal", model.Types.Single(t => t.PropertyName == "SecretArray").PropertyAccessibility);
        Assert.Equal("internal", model.Types.Single(t => t.PropertyName == "Wrapper").PropertyAccessibility);
        Assert.Equal("public", model.Types.Single(t => t.PropertyName == "Open").PropertyAccessibility);
        Assert.Equal("public", model.Types.Single(t => t.PropertyName == "ListOpen").PropertyAccessibility);
        string emitted = JsonContextEmitter.Emit(model);
        TestCompilations.AssertNoErrorsOrWarnings(compilation.AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(emitted, TestCompilations.ParseOptions, "Vis.g.cs")), emitted);
    }

    [Theory]
    [InlineData("None")]
    [InlineData("CamelCase")]
    [InlineData("SnakeCaseLower")]
    [InlineData("SnakeCaseUpper")]
    [InlineData("KebabCaseLower")]
    [InlineData("KebabCaseUpper")]
    public void Every_naming_policy_matches_System_Text_Json_with_the_same_policy(string policyName)
    {
        JsonNamingPolicyKind kind = Enum.Parse<JsonNamingPolicyKind>(policyName);
        Compilation compilation = TestCompilations.Create("Policy", TestCompilations.RuntimeReferences);
        JsonContextModel model = TestCompilations.BuildModel(
            compilation, kind, TestCompilations.DtoNamespace + ".Submission", TestCompilations.DtoNamespace + ".Primitives", TestCompilations.DtoNamespace + ".Annotated");
        string source = JsonContextEmitter.Emit(model);
        Assembly assembly = TestCompilations.EmitAndLoad(
            TestCompilations.Create("PolicyContext" + kind, TestCompilations.RuntimeReferences, ("Context.g.cs", source)), source);
        JsonSerializerContext context = (JsonSerializerContext)assembly.GetType("Ana.Generated.TestJsonContext")!.GetProperty("Default")!.GetValue(null)!;

        JsonNamingPolicy? policy = kind switch
        {
            JsonNamingPolicyKind.CamelCase => JsonNamingPolicy.CamelCase,
            JsonNamingPolicyKind.SnakeCaseLower => JsonNamingPolicy.SnakeCaseLower,
            JsonNamingPolicyKind.SnakeCaseUpper => JsonNamingPolicy.SnakeCaseUpper,
            JsonNamingPolicyKind.KebabCaseLower => JsonNamingPolicy.KebabCaseLower,
            JsonNamingPolicyKind.KebabCaseUpper => JsonNamingPolicy.KebabCaseUpper,
            _ => null,
        };
        JsonSerializerOptions reflection = new()
        {
            PropertyNamingPolicy = policy,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter(policy) },
        };
        foreach (string name in new[] { "Submission full", "Submission minimal", "Primitives max", "Annotated full" })
        {
            (Type type, object? value) = Samples.Values[name];
            string expected = JsonSerializer.Serialize(value, type, reflection);
            Assert.Equal(expected, JsonSerializer.Serialize(value, context.GetTypeInfo(type)!));
            object? back = JsonSerializer.Deserialize(expected, context.GetTypeInfo(type)!);
            Assert.Equal(expected, JsonSerializer.Serialize(back, type, reflection));
        }

        if (policy is null)
        {
            Assert.DoesNotContain("PropertyNamingPolicy", source, StringComparison.Ordinal);
        }
    }

    private static string Name(JsonContextModel model, ITypeSymbol type) =>
        model.PropertyNameFor(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

    private static JsonContextModel BuildFromSource(string extra = Extra)
    {
        // A fresh compilation from source each time: no symbol is shared between two builds.
        Compilation compilation = TestCompilations.Create(
            "Equality",
            TestCompilations.RuntimeReferences.Where(r => !r.Display!.EndsWith("Ana.Contracts.Generator.Tests.dll", StringComparison.Ordinal)),
            ("Dtos.cs", TestCompilations.DtoSource),
            ("Extra.cs", extra));
        ITypeSymbol[] roots = [.. Roots.Select(n => TestCompilations.Type(compilation, TestCompilations.DtoNamespace + "." + n)), TestCompilations.Type(compilation, "Extra.Holder")];
        return JsonContextModelBuilder.Build(
            "Ana.Generated",
            "EqualityJsonContext",
            "internal",
            JsonNamingPolicyKind.SnakeCaseLower,
            roots.Select(r => (r, LocationInfo.From(r), "IEquality." + r.Name)),
            new KnownSymbols(compilation),
            CancellationToken.None);
    }

    private static int Walk(object? value, string path, Type[] forbidden, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || value is Type || value is Delegate)
        {
            return 0;
        }

        Type type = value.GetType();
        Type? bad = forbidden.FirstOrDefault(f => f.IsAssignableFrom(type));
        Assert.True(bad is null, $"{path} holds a {type} ({bad}).");
        if (!type.IsValueType && !visited.Add(value))
        {
            return 0;
        }

        int count = 1;
        if (value is IEnumerable enumerable)
        {
            int i = 0;
            foreach (object? item in enumerable)
            {
                count += Walk(item, $"{path}[{i++}]", forbidden, visited);
            }
        }

        for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                count += Walk(field.GetValue(value), $"{path}.{field.Name}", forbidden, visited);
            }
        }

        return count;
    }
}
