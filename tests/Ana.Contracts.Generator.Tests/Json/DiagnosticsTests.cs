using System.Globalization;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Ana.Contracts.Generator.Parsing.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>Every unsupported shape gives ANA007 naming the type, the member path and the reason; the rest still compiles.</summary>
public sealed class DiagnosticsTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.CodeAnalysis;
        using System.Text.Json;
        using System.Text.Json.Serialization;

        namespace Bad
        {
            public interface IShape { }

            public abstract class AbstractShape { }

            public sealed class NoCtor
            {
                private NoCtor() { }

                public int A { get; set; }
            }

            public sealed class TwoCtors
            {
                public TwoCtors(int a) { A = a; }

                public TwoCtors(string b) { B = b; }

                public int A { get; }

                public string? B { get; }
            }

            public sealed class Mismatch
            {
                public Mismatch(int other) { A = other; }

                public int A { get; }
            }

            public sealed class WrongType
            {
                public WrongType(long a) { A = (int)a; }

                public int A { get; }
            }

            public sealed class IntConverter : JsonConverter<int>
            {
                public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetInt32();

                public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
            }

            [JsonConverter(typeof(JsonStringEnumConverter))]
            public enum Verbatim { FirstValue, SecondValue }

            [JsonPolymorphic]
            [JsonDerivedType(typeof(Unrelated), "x")]
            public class Polymorphic { }

            public class Unrelated { }

            public sealed class RequiredField
            {
                public required int Field;
            }

            public sealed class IgnoredRequired
            {
                [JsonIgnore]
                public required string Name { get; set; }

                public int Other { get; set; }
            }

            public sealed class Owner
            {
                public Func<int>? Callback { get; set; }

                public string? Name { get; set; }
            }

            public sealed class CtorWithBadType
            {
                public CtorWithBadType(object payload, int count) { Payload = payload; Count = count; }

                public object Payload { get; }

                public int Count { get; }
            }

            public sealed class WithRequiredObject
            {
                public required object Payload { get; init; }

                public required string Name { get; init; }
            }

            public sealed class Includes
            {
                [JsonInclude]
                internal int Internal { get; set; }

                [JsonInclude]
                public int PrivateSet { get; private set; }

                [JsonInclude]
                private int Hidden { get; set; }
            }

            public sealed class Generic<T>
            {
                public T? Value { get; set; }
            }

            public sealed class Container
            {
                private sealed class Hidden
                {
                    public int A { get; set; }
                }
            }

            public sealed class Outer<T>
            {
                public sealed class Inner
                {
                    public int A { get; set; }
                }
            }

            public sealed unsafe class Root
            {
                public object? Anything { get; set; }
                public dynamic? Dyn { get; set; }
                public IShape? Shape { get; set; }
                public AbstractShape? Abstract { get; set; }
                public NoCtor? NoCtor { get; set; }
                public TwoCtors? TwoCtors { get; set; }
                public Mismatch? Mismatch { get; set; }
                public WrongType? WrongType { get; set; }
                public Action? Callback { get; set; }
                public int[,]? Grid { get; set; }
                public Dictionary<int, string>? ByNumber { get; set; }
                public HashSet<string>? Set { get; set; }
                public (int, string) Tuple { get; set; }
                public Type? Type { get; set; }
                public JsonDocument? Document { get; set; }
                [JsonConverter(typeof(IntConverter))]
                public int Converted { get; set; }
                public List<object>? Objects { get; set; }
                public Owner? Owner { get; set; }
                public int* Pointer { get; set; }
                public Span<int> Span => default;
                public Polymorphic? Polymorphic { get; set; }
                public RequiredField? RequiredField { get; set; }
                public IgnoredRequired? IgnoredRequired { get; set; }
                public CtorWithBadType? CtorWithBadType { get; set; }
                public WithRequiredObject? WithRequiredObject { get; set; }
                [JsonExtensionData]
                public Dictionary<string, JsonElement>? Extra { get; set; }
                public Verbatim Verbatim { get; set; }
                public Includes? Includes { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
                public int NeverNull { get; set; }
                public int Fine { get; set; }
            }
        }
        """;

    public static TheoryData<string, string, string> Expected => new()
    {
        { "Root.Anything", "object", "'object' has no fixed shape" },
        { "Root.Dyn", "dynamic", "'dynamic' has no fixed shape" },
        { "Root.Shape", "Bad.IShape", "interfaces cannot be deserialized" },
        { "Root.Abstract", "Bad.AbstractShape", "abstract types cannot be deserialized" },
        { "Root.NoCtor", "Bad.NoCtor", "it has no public constructor" },
        { "Root.TwoCtors", "Bad.TwoCtors", "several public constructors; mark one with [JsonConstructor]" },
        { "Root.Mismatch", "Bad.Mismatch", "the constructor parameter 'other' does not match a public property" },
        { "Root.WrongType", "Bad.WrongType", "the constructor parameter 'a' does not match a public property of the same name (ignoring case) and type" },
        { "Root.Callback", "System.Action", "delegates cannot be serialized" },
        { "Root.Grid", "int[*,*]", "multi-dimensional arrays cannot be serialized" },
        { "Root.ByNumber", "System.Collections.Generic.Dictionary<int, string>", "dictionary keys must be strings" },
        { "Root.Set", "System.Collections.Generic.HashSet<string>", "this collection type is not supported" },
        { "Root.Tuple", "(int, string)", "tuples cannot be serialized" },
        { "Root.Type", "System.Type", "this framework type is not supported" },
        { "Root.Document", "System.Text.Json.JsonDocument", "this framework type is not supported" },
        { "Root.Converted", "int", "custom converters ([JsonConverter]) on properties are not supported" },
        { "Root.Objects", "object", "'object' has no fixed shape" },
        { "Root.Owner.Callback", "System.Func<int>", "delegates cannot be serialized" },
        { "Root.Pointer", "int*", "pointers cannot be serialized" },
        { "Root.Span", "System.Span<int>", "ref structs cannot be serialized" },
        { "Root.Polymorphic<x>", "Bad.Unrelated", "it is declared with [JsonDerivedType] on 'Bad.Polymorphic' but does not derive from it" },
        { "Root.RequiredField", "Bad.RequiredField", "the required field 'Field' cannot be set" },
        { "Root.IgnoredRequired.Name", "Bad.IgnoredRequired", "the required property 'Name' is ignored by [JsonIgnore]" },
        { "Root.CtorWithBadType.Payload", "object", "'object' has no fixed shape" },
        { "Root.WithRequiredObject.Payload", "object", "'object' has no fixed shape" },
        { "Root.Extra", "System.Collections.Generic.Dictionary<string, System.Text.Json.JsonElement>", "[JsonExtensionData] is not supported" },
        { "Root.Includes.PrivateSet", "Bad.Includes", "the setter of the [JsonInclude] property 'Includes.PrivateSet' is not accessible" },
        { "Root.Includes.Hidden", "Bad.Includes", "the [JsonInclude] property 'Includes.Hidden' is not accessible" },
        { "Root.NeverNull", "int", "JsonIgnoreCondition.WhenWritingNull is not valid on a property of a non-nullable value type" },
        { "Generic<T>", "Bad.Generic<T>", "open generic types cannot be serialized" },
        { "Container.Hidden", "Bad.Container.Hidden", "the type is not accessible from the generated context" },
        { "List<Container.Hidden>", "System.Collections.Generic.List<Bad.Container.Hidden>", "the type is not accessible from the generated context" },
        { "Outer<Container.Hidden>.Inner", "Bad.Outer<Bad.Container.Hidden>.Inner", "the type is not accessible from the generated context" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Unsupported_members_give_ANA007_with_type_path_and_reason(string path, string type, string reason)
    {
        (JsonContextModel model, _) = Build();
        string[] messages = model.Diagnostics.Select(Message).ToArray();
        string? message = messages.SingleOrDefault(m => m.EndsWith($"(member path '{path}')", StringComparison.Ordinal));
        Assert.True(message is not null, $"No single diagnostic for '{path}' among:{Environment.NewLine}{string.Join(Environment.NewLine, messages)}");
        Assert.StartsWith($"The type '{type}' used by 'ITest.Method' cannot be serialized by the generated JSON context: ", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void Every_diagnostic_is_an_expected_ANA007_error_at_the_root_usage()
    {
        (JsonContextModel model, _) = Build();
        Assert.All(model.Diagnostics, d =>
        {
            Assert.Equal("ANA007", d.Descriptor.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.Descriptor.DefaultSeverity);
            Assert.Equal(UsedAt, d.Location);
        });
        Assert.Equal(((IEnumerable<object[]>)Expected).Count(), model.Diagnostics.Count);
    }

    [Fact]
    public void The_rest_is_covered_and_the_emitted_context_compiles_cleanly()
    {
        (JsonContextModel model, Compilation compilation) = Build();
        JsonTypeModel root = model.Types.Single(t => t.TypeName == "global::Bad.Root");
        Assert.Equal(
            ["CtorWithBadType", "Fine", "IgnoredRequired", "Includes", "Owner", "Polymorphic", "Verbatim", "WithRequiredObject"],
            root.Object!.Properties.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        JsonPropertyModel included = Assert.Single(model.Types.Single(t => t.TypeName == "global::Bad.Includes").Object!.Properties);
        Assert.Equal("Internal", included.Name);
        Assert.True(included.HasJsonInclude);
        JsonTypeModel owner = model.Types.Single(t => t.TypeName == "global::Bad.Owner");
        Assert.Equal(["Name"], owner.Object!.Properties.Select(p => p.Name).ToArray());

        // The enum with [JsonConverter(typeof(JsonStringEnumConverter))] keeps its declared names, as in System.Text.Json.
        Assert.False(model.Types.Single(t => t.TypeName == "global::Bad.Verbatim").EnumNamingPolicy);

        // Roots that no code outside could name (open generic, private nested) get no placeholder property.
        Assert.DoesNotContain(model.Types, t => t.TypeName.StartsWith("global::Bad.Generic", StringComparison.Ordinal) || t.TypeName.Contains("Hidden", StringComparison.Ordinal));

        string source = JsonContextEmitter.Emit(model);
        TestCompilations.AssertNoErrorsOrWarnings(compilation.AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, TestCompilations.ParseOptions, "Context.g.cs")), source);
    }

    [Fact]
    public void Object_roots_are_reported_and_get_a_throwing_placeholder()
    {
        Compilation compilation = TestCompilations.Create("Objects", TestCompilations.RuntimeReferences);
        JsonContextModel model = TestCompilations.BuildModel(compilation, JsonNamingPolicyKind.CamelCase, compilation.GetSpecialType(SpecialType.System_Object));
        DiagnosticInfo diagnostic = Assert.Single(model.Diagnostics);
        Assert.Equal(
            "The type 'object' used by 'ITest.Method' cannot be serialized by the generated JSON context: 'object' has no fixed shape; use a concrete type (member path 'object')",
            Message(diagnostic));
        Assert.Equal("Object", model.PropertyNameFor("object"));
        string source = JsonContextEmitter.Emit(model);
        Assert.Contains("throw new global::System.NotSupportedException(", source);
        TestCompilations.AssertNoErrorsOrWarnings(
            TestCompilations.Create("ObjectsContext", TestCompilations.RuntimeReferences, ("Context.g.cs", source)), source);
    }

    [Fact]
    public void Unresolved_types_are_left_to_the_compiler()
    {
        Compilation compilation = TestCompilations.Create(
            "Unresolved",
            TestCompilations.RuntimeReferences,
            ("Unresolved.cs", "namespace U { public sealed class Holder { public Missing? Value { get; set; } public int Count { get; set; } } }"));
        JsonContextModel model = TestCompilations.BuildModel(compilation, JsonNamingPolicyKind.None, "U.Holder");
        Assert.Empty(model.Diagnostics);
        Assert.Equal(["Count"], model.Types.Single(t => t.TypeName == "global::U.Holder").Object!.Properties.Select(p => p.Name).ToArray());
    }

    private static readonly LocationInfo UsedAt = new("Contract.cs", new TextSpan(10, 5), new LinePositionSpan(new LinePosition(1, 2), new LinePosition(1, 7)));

    private static (JsonContextModel Model, Compilation Compilation) Build()
    {
        Compilation compilation = TestCompilations.Create("Bad", TestCompilations.RuntimeReferences, ("Bad.cs", Source));
        TestCompilations.AssertNoErrorsOrWarnings(compilation, Source);
        ITypeSymbol[] roots =
        [
            TestCompilations.Type(compilation, "Bad.Root"),
            TestCompilations.Type(compilation, "Bad.Generic`1"),
            TestCompilations.Type(compilation, "Bad.Container+Hidden"),

            // Public types around an inaccessible one: a type argument, and a type argument of the containing type.
            ((INamedTypeSymbol)TestCompilations.Type(compilation, "System.Collections.Generic.List`1")).Construct(TestCompilations.Type(compilation, "Bad.Container+Hidden")),
            ((INamedTypeSymbol)TestCompilations.Type(compilation, "Bad.Outer`1")).Construct(TestCompilations.Type(compilation, "Bad.Container+Hidden")).GetTypeMembers("Inner")[0],
        ];
        JsonContextModel model = JsonContextModelBuilder.Build(
            "Bad.Generated",
            "BadJsonContext",
            "internal",
            JsonNamingPolicyKind.SnakeCaseLower,
            roots.Select(r => (r, (LocationInfo?)UsedAt, "ITest.Method")),
            new KnownSymbols(compilation),
            CancellationToken.None);
        return (model, compilation);
    }

    private static string Message(DiagnosticInfo diagnostic)
        => Diagnostic.Create(diagnostic.Descriptor, Location.None, diagnostic.MessageArgs.ToArray<object>()).GetMessage(CultureInfo.InvariantCulture);
}
