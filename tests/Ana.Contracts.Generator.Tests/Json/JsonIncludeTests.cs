using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Ana.Contracts.Generator.Parsing.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>[JsonInclude] on internal members of the context's own assembly, against System.Text.Json's reflection resolver.</summary>
public sealed class JsonIncludeTests
{
    private const string Source = """
        using System.Text.Json.Serialization;

        namespace Inc
        {
            public sealed class Includes
            {
                [JsonInclude]
                internal int Internal { get; set; }

                [JsonInclude]
                public string? Getter { get; internal set; }

                public int Plain { get; set; }

                public string? PublicGetOnly { get; internal set; }
            }
        }
        """;

    [Fact]
    public void Internal_JsonInclude_members_are_serialized_and_deserialized_like_System_Text_Json()
    {
        Compilation compilation = TestCompilations.Create("Includes", TestCompilations.RuntimeReferences, ("Includes.cs", Source));
        JsonContextModel model = JsonContextModelBuilder.Build(
            "Inc", "IncludesJsonContext", "internal", JsonNamingPolicyKind.SnakeCaseLower,
            [(TestCompilations.Type(compilation, "Inc.Includes"), null, "IInc.Run")], new KnownSymbols(compilation), CancellationToken.None);
        Assert.Empty(model.Diagnostics);
        string emitted = JsonContextEmitter.Emit(model);
        Assembly assembly = TestCompilations.EmitAndLoad(
            compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(emitted, TestCompilations.ParseOptions, "Context.g.cs")), emitted);

        Type type = assembly.GetType("Inc.Includes", throwOnError: true)!;
        Type contextType = assembly.GetType("Inc.IncludesJsonContext", throwOnError: true)!;
        JsonSerializerContext context = (JsonSerializerContext)contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        object value = Activator.CreateInstance(type)!;
        Set(value, "Internal", 5);
        Set(value, "Getter", "g");
        Set(value, "Plain", 1);
        Set(value, "PublicGetOnly", "p");

        JsonSerializerOptions reflection = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        string expected = JsonSerializer.Serialize(value, type, reflection);
        Assert.Equal("""{"internal":5,"getter":"g","plain":1,"public_get_only":"p"}""", expected);
        Assert.Equal(expected, JsonSerializer.Serialize(value, context.GetTypeInfo(type)!));

        const string json = """{"internal":7,"getter":"x","plain":2,"public_get_only":"ignored"}""";
        object back = JsonSerializer.Deserialize(json, context.GetTypeInfo(type)!)!;
        object reflected = JsonSerializer.Deserialize(json, type, reflection)!;
        Assert.Equal(JsonSerializer.Serialize(reflected, type, reflection), JsonSerializer.Serialize(back, type, reflection));
        Assert.Equal(7, Get(back, "Internal"));
        Assert.Null(Get(back, "PublicGetOnly"));
    }

    private static void Set(object target, string name, object? value) =>
        target.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.SetValue(target, value);

    private static object? Get(object target, string name) =>
        target.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(target);
}
