using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Json.Schema;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Schemas;

/// <summary>
/// The generated JSON Schemas of shapes the runtime test contracts do not have (their property tests live in
/// Ana.Contracts.Tests): recursive types, [Flags] and renamed enum members, int discriminators with an instantiable base,
/// dictionaries of nullable values, byte arrays and the other built-in values, and a contract over the user's own context.
/// Values are written by the generated JSON context inside the compiled scenario and checked here against the schemas.
/// </summary>
public sealed class JsonSchemaTests
{
    private const string Contract = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo;

        [AnaAgent("shapes", NamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        public partial interface IShapes
        {
            Task<Node> WalkAsync(Node root, Access access = Access.Read, CancellationToken ct = default);

            Task<Animal> AdoptAsync(Animal animal, Dictionary<string, int?> scores, byte[] blob, uint count, char mark, Uri? link);

            Task SetAsync(Mood mood);
        }

        public sealed class Node
        {
            public required string Name { get; init; }

            public List<Node> Children { get; init; } = [];

            public Node? Parent { get; set; }
        }

        [Flags]
        public enum Access
        {
            None = 0,
            Read = 1,
            Write = 2,
        }

        public enum Mood
        {
            Calm,
            [JsonStringEnumMemberName("wild!")]
            Wild,
        }

        [JsonDerivedType(typeof(Animal), 0)]
        [JsonDerivedType(typeof(Dog), 1)]
        [JsonDerivedType(typeof(Cat), 2)]
        public class Animal
        {
            public string? Name { get; set; }
        }

        public sealed class Dog : Animal
        {
            public bool Barks { get; set; }
        }

        public sealed class Cat : Animal
        {
            public required int Lives { get; init; }
        }
        """;

    private const string Scenario = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Threading.Tasks;
        using Ana.Contracts.Infrastructure;
        using Demo;

        public static class Scenario
        {
            public static Task<string> RunAsync(string url)
            {
                var context = ShapesJsonContext.Default;
                var descriptor = ContractRegistry.Find<IShapes>()!;
                var schemas = new JsonArray();
                foreach (ContractMethodSchemas s in descriptor.Schemas!)
                {
                    schemas.Add(new JsonObject { ["arguments"] = s.Arguments, ["result"] = s.Result });
                }

                Node root = new() { Name = "root", Children = [new Node { Name = "leaf", Children = [new Node { Name = "deeper" }] }] };
                var values = new JsonObject
                {
                    ["walk"] = JsonSerializer.SerializeToNode(root, context.Node),
                    ["access"] = JsonSerializer.SerializeToNode(Access.Read | Access.Write, context.Access),
                    ["dog"] = JsonSerializer.SerializeToNode<Animal>(new Dog { Name = "rex", Barks = true }, context.Animal),
                    ["cat"] = JsonSerializer.SerializeToNode<Animal>(new Cat { Lives = 9 }, context.Animal),
                    ["animal"] = JsonSerializer.SerializeToNode(new Animal { Name = "generic" }, context.Animal),
                    ["wild"] = JsonSerializer.SerializeToNode(Mood.Wild, context.Mood),
                    ["scores"] = JsonSerializer.SerializeToNode(new Dictionary<string, int?> { ["a"] = 1, ["b"] = null }, context.DictionaryStringNullableInt32),
                    ["blob"] = JsonSerializer.SerializeToNode(new byte[] { 1, 2, 3 }, context.ByteArray),
                };
                return Task.FromResult(new JsonObject { ["schemas"] = schemas, ["values"] = values }.ToJsonString());
            }
        }
        """;

    private static readonly Lazy<Task<JsonObject>> Generated = new(RunAsync);

    [Fact]
    public async Task A_recursive_type_ends_in_a_reference_to_its_own_definition()
    {
        (JsonSchema walk, JsonObject values, string text) = await ResultAsync(0);
        Assert.Contains("\"Node\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"$ref\":\"#/$defs/Node\"}", text, StringComparison.Ordinal);
        AssertValid(walk, values["walk"]);
        AssertInvalid(walk, JsonNode.Parse("""{"name":"x","children":[{"children":[]}]}"""));
    }

    [Fact]
    public async Task A_flags_enum_takes_combined_names_and_numbers_and_a_renamed_member_its_new_name()
    {
        JsonObject generated = await Generated.Value;
        JsonSchema walkArguments = JsonSchema.FromText(generated["schemas"]![0]!["arguments"]!.GetValue<string>());
        AssertValid(walkArguments, new JsonObject { ["root"] = new JsonObject { ["name"] = "r" }, ["access"] = generated["values"]!["access"]!.DeepClone() });
        AssertValid(walkArguments, JsonNode.Parse("""{"root":{"name":"r"},"access":3}"""));
        AssertInvalid(walkArguments, JsonNode.Parse("""{"root":{"name":"r"},"access":true}"""));

        JsonSchema setArguments = JsonSchema.FromText(generated["schemas"]![2]!["arguments"]!.GetValue<string>());
        Assert.Equal("wild!", generated["values"]!["wild"]!.GetValue<string>());
        AssertValid(setArguments, new JsonObject { ["mood"] = "wild!" });
        AssertValid(setArguments, new JsonObject { ["mood"] = 1 });
        AssertInvalid(setArguments, new JsonObject { ["mood"] = "Wild" });
        Assert.Null(generated["schemas"]![2]!["result"]);
    }

    [Fact]
    public async Task Each_derived_type_is_read_by_its_discriminator_and_an_instantiable_base_without_one()
    {
        (JsonSchema adopt, JsonObject values, string _) = await ResultAsync(1);
        Assert.Equal(1, values["dog"]!["$type"]!.GetValue<int>());
        AssertValid(adopt, values["dog"]);
        AssertValid(adopt, values["cat"]);
        AssertValid(adopt, values["animal"]);
        AssertValid(adopt, JsonNode.Parse("""{"name":"plain"}"""));
        AssertInvalid(adopt, JsonNode.Parse("""{"$type":2,"name":"no lives"}"""));
        AssertInvalid(adopt, JsonNode.Parse("""{"$type":"2","lives":9}"""));
    }

    [Fact]
    public async Task Dictionaries_byte_arrays_and_bounded_numbers_are_described_as_the_serializer_writes_them()
    {
        JsonObject generated = await Generated.Value;
        JsonSchema arguments = JsonSchema.FromText(generated["schemas"]![1]!["arguments"]!.GetValue<string>());
        JsonObject valid = new()
        {
            ["animal"] = generated["values"]!["cat"]!.DeepClone(),
            ["scores"] = generated["values"]!["scores"]!.DeepClone(),
            ["blob"] = generated["values"]!["blob"]!.DeepClone(),
            ["count"] = 4294967295,
            ["mark"] = "x",
            ["link"] = null,
        };
        AssertValid(arguments, valid);
        AssertInvalid(arguments, With(valid, "count", -1));
        AssertInvalid(arguments, With(valid, "count", 4294967296));
        AssertInvalid(arguments, With(valid, "mark", "xy"));
        AssertInvalid(arguments, With(valid, "blob", new JsonArray(1, 2)));
        AssertInvalid(arguments, With(valid, "scores", new JsonObject { ["a"] = "1" }));
        JsonObject withoutLink = (JsonObject)valid.DeepClone();
        withoutLink.Remove("link");
        AssertValid(arguments, withoutLink);
        JsonObject withoutMark = (JsonObject)valid.DeepClone();
        withoutMark.Remove("mark");
        AssertInvalid(arguments, withoutMark);
    }

    [Fact]
    public async Task A_contract_over_the_users_own_context_has_schemas_too()
    {
        GeneratorRun run = GeneratorHarness.Run(TestContracts.UserContext, withSystemTextJson: true);
        string registration = run.Sources.Single(s => s.HintName.EndsWith(".Registration.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("Schemas = new global::Ana.Contracts.Infrastructure.ContractMethodSchemas[]", registration, StringComparison.Ordinal);
        Assert.Contains("https://json-schema.org/draft/2020-12/schema", registration, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private static async Task<(JsonSchema Result, JsonObject Values, string Text)> ResultAsync(int method)
    {
        JsonObject generated = await Generated.Value;
        string text = generated["schemas"]![method]!["result"]!.GetValue<string>();
        return (JsonSchema.FromText(text), generated["values"]!.AsObject(), text);
    }

    private static JsonObject With(JsonObject valid, string member, JsonNode? value)
    {
        JsonObject changed = (JsonObject)valid.DeepClone();
        changed[member] = value;
        return changed;
    }

    private static void AssertValid(JsonSchema schema, JsonNode? payload)
    {
        EvaluationResults results = Evaluate(schema, payload);
        Assert.True(results.IsValid, $"{payload?.ToJsonString()} should pass");
    }

    private static void AssertInvalid(JsonSchema schema, JsonNode? payload)
        => Assert.False(Evaluate(schema, payload).IsValid, $"{payload?.ToJsonString()} should fail");

    private static EvaluationResults Evaluate(JsonSchema schema, JsonNode? payload)
    {
        using JsonDocument document = JsonDocument.Parse(payload?.ToJsonString() ?? "null");
        return schema.Evaluate(document.RootElement.Clone(), new EvaluationOptions());
    }

    private static async Task<JsonObject> RunAsync()
    {
        GeneratorRun run = GeneratorHarness.Run(Contract);
        Assert.Empty(run.Diagnostics);
        run = run with { Output = run.Output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Scenario, GeneratorHarness.ParseOptions, "/src/Scenario.cs")) };
        Assembly assembly = GeneratedAssembly.Load(run);
        string json = await GeneratedAssembly.RunScenarioAsync(assembly, "memory://unused").WaitAsync(TimeSpan.FromSeconds(30));
        return JsonNode.Parse(json)!.AsObject();
    }
}
