using System.Text.Json;
using Json.Schema;

namespace Ana.Schemas.Tests;

/// <summary>
/// The schemas under test, loaded once from schemas/ in the output directory and registered so that
/// their relative $refs (e.g. "common.schema.json#/$defs/clock") resolve against their $id.
/// </summary>
internal static class SchemaSet
{
    public const string BaseId = "https://ana-contracts.dev/schemas/";

    /// <summary>The envelope shapes; each has a schema named "&lt;type&gt;.schema.json".</summary>
    public static readonly string[] Types = ["query", "reply", "ack", "discovery", "pulse"];

    /// <summary>Every schema file: the five shapes, the shared definitions and the envelope union.</summary>
    public static readonly string[] FileNames =
        [.. Types.Select(t => t + ".schema.json"), "common.schema.json", "envelope.schema.json"];

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    private static readonly Dictionary<string, JsonSchema> Loaded = Load();

    private static Dictionary<string, JsonSchema> Load()
    {
        Dictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);
        foreach (string name in FileNames)
        {
            JsonSchema schema = JsonSchema.FromFile(Path.Combine(Directory, name));
            // The absolute $id becomes the schema's base URI and its registry key, so the relative $refs
            // resolve to https://ana-contracts.dev/schemas/... from the registry, never from disk or network.
            SchemaRegistry.Global.Register(schema);
            schemas[name] = schema;
        }
        return schemas;
    }

    /// <summary>
    /// Evaluation options: list output, and format ("date-time") asserted, not just annotated.
    /// One shared instance on purpose: JsonSchema.Net 7.4.0 caches the constraints it builds per schema and rebuilds
    /// them when it sees a different options instance, and parallel evaluations of one schema with different options
    /// instances give random wrong results (json-everything/json-everything#929). xunit runs test classes in parallel.
    /// Never mutate it.
    /// </summary>
    public static EvaluationOptions Options { get; } = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    public static JsonSchema Get(string fileName) => Loaded[fileName];

    public static EvaluationResults Evaluate(string fileName, JsonElement instance) =>
        Get(fileName).Evaluate(instance, Options);

    public static EvaluationResults Evaluate(string fileName, string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return Evaluate(fileName, doc.RootElement);
    }

    /// <summary>All error messages of a result in List format, as "instanceLocation [keyword]: message".</summary>
    public static IReadOnlyList<string> Errors(EvaluationResults results)
    {
        List<string> lines = new();
        Collect(results, lines);
        return lines;

        static void Collect(EvaluationResults r, List<string> into)
        {
            if (r.HasErrors)
            {
                foreach ((string? keyword, string? message) in r.Errors!)
                {
                    into.Add($"{r.InstanceLocation} [{keyword}]: {message}");
                }
            }

            if (r.HasDetails)
            {
                foreach (EvaluationResults d in r.Details)
                {
                    Collect(d, into);
                }
            }
        }
    }

    public static string Describe(EvaluationResults results) =>
        results.IsValid ? "valid" : string.Join(Environment.NewLine, Errors(results));
}
