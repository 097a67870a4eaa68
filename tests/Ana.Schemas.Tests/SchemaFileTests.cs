using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Ana.Schemas.Tests;

/// <summary>Checks on the schema documents themselves.</summary>
public class SchemaFileTests
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    public static TheoryData<string> SchemaFiles() => [.. SchemaSet.FileNames];

    private static JsonObject Read(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaSet.Directory, file)))!.AsObject();

    [Fact]
    public void The_schema_directory_holds_exactly_the_known_files()
    {
        IOrderedEnumerable<string?> onDisk = Directory.GetFiles(SchemaSet.Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(SchemaSet.FileNames.Order(StringComparer.Ordinal), onDisk);
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Has_draft_2020_12_schema_and_an_id_matching_its_file_name(string file)
    {
        JsonObject root = Read(file);
        Assert.Equal(Draft202012, (string?)root["$schema"]);
        Assert.Equal(SchemaSet.BaseId + file, (string?)root["$id"]);
        Assert.Equal(new Uri(SchemaSet.BaseId + file), SchemaSet.Get(file).BaseUri);
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Is_valid_against_the_draft_2020_12_meta_schema(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SchemaSet.Directory, file)));
        EvaluationResults result = MetaSchemas.Draft202012.Evaluate(doc.RootElement, SchemaSet.Options);
        Assert.True(result.IsValid, SchemaSet.Describe(result));
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Schema_and_every_field_have_a_title_and_description(string file)
    {
        JsonObject root = Read(file);
        AssertDocumented(root, file);

        // Every object schema in the document (root, $defs, nested) documents each of its properties,
        // either inline or through a $ref into common.schema.json whose target is documented.
        JsonObject common = Read("common.schema.json")["$defs"]!.AsObject();
        foreach ((string? path, JsonObject? props) in PropertyMaps(root, file))
        {
            foreach ((string? name, JsonNode? prop) in props)
            {
                string where = $"{path}/properties/{name}";
                JsonObject node = prop!.AsObject();
                if (node["$ref"] is JsonValue r && ((string)r!).StartsWith("common.schema.json#/$defs/", StringComparison.Ordinal))
                {
                    string target = ((string)r!)["common.schema.json#/$defs/".Length..];
                    Assert.True(common.ContainsKey(target), $"{where}: dangling $ref {r}");
                    AssertDocumented(common[target]!.AsObject(), where + " -> " + r);
                }
                else
                {
                    AssertDocumented(node, where);
                }
            }
        }
    }

    [Fact]
    public void No_schema_forbids_unknown_properties()
    {
        foreach (string file in SchemaSet.FileNames)
        {
            Assert.DoesNotContain("additionalProperties", File.ReadAllText(Path.Combine(SchemaSet.Directory, file)), StringComparison.Ordinal);
        }
    }

    private static void AssertDocumented(JsonObject schema, string where)
    {
        Assert.False(string.IsNullOrWhiteSpace((string?)schema["title"]), $"{where}: no title");
        Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]), $"{where}: no description");
    }

    private static IEnumerable<(string Path, JsonObject Properties)> PropertyMaps(JsonNode? node, string path)
    {
        if (node is JsonObject obj)
        {
            if (obj["properties"] is JsonObject props)
            {
                yield return (path, props);
            }

            foreach ((string? key, JsonNode? child) in obj)
            {
                foreach ((string Path, JsonObject Properties) inner in PropertyMaps(child, $"{path}/{key}"))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray arr)
        {
            for (int i = 0; i < arr.Count; i++)
            {
                foreach ((string Path, JsonObject Properties) inner in PropertyMaps(arr[i], $"{path}/{i}"))
                {
                    yield return inner;
                }
            }
        }
    }
}
