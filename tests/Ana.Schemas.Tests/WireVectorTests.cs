using System.Text.Json;

namespace Ana.Schemas.Tests;

/// <summary>The conformance vectors of tests/wire (copied to wire/ in the output) against the schemas.</summary>
public class WireVectorTests
{
    private static readonly string WireDir = Path.Combine(AppContext.BaseDirectory, "wire");

    public static TheoryData<string> ValidFiles() => FilesIn("valid");

    public static TheoryData<string> InvalidFiles() => FilesIn("invalid");

    private static TheoryData<string> FilesIn(string sub)
    {
        TheoryData<string> data = new();
        foreach (string? f in Directory.GetFiles(Path.Combine(WireDir, sub)).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(f!);
        }

        return data;
    }

    private enum Rejection
    {
        /// <summary>JsonDocument.Parse with default options throws (not JSON, truncated, or deeper than 64).</summary>
        NotParseable,

        /// <summary>Parses as JSON but fails envelope.schema.json.</summary>
        SchemaInvalid,
    }

    /// <summary>How each invalid vector is expected to be rejected. A new vector must be added here.</summary>
    private static readonly Dictionary<string, Rejection> ExpectedRejection = new(StringComparer.Ordinal)
    {
        ["not-json.txt"] = Rejection.NotParseable,
        ["truncated.json"] = Rejection.NotParseable,
        ["deeply-nested.json"] = Rejection.NotParseable,
        ["missing-type.json"] = Rejection.SchemaInvalid,
        ["unknown-type.json"] = Rejection.SchemaInvalid,
        ["wrong-field-type.json"] = Rejection.SchemaInvalid,
        ["missing-from.json"] = Rejection.SchemaInvalid,
    };

    [Fact]
    public void Vector_directories_are_present()
    {
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(WireDir, "valid")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(WireDir, "invalid")));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Valid_vector_passes_envelope_and_its_own_type_schema(string file)
    {
        string text = File.ReadAllText(Path.Combine(WireDir, "valid", file));
        using JsonDocument doc = JsonDocument.Parse(text);
        string? type = doc.RootElement.GetProperty("type").GetString();
        Assert.Contains(type, SchemaSet.Types);

        Json.Schema.EvaluationResults envelope = SchemaSet.Evaluate("envelope.schema.json", doc.RootElement);
        Assert.True(envelope.IsValid, $"{file} vs envelope.schema.json:\n{SchemaSet.Describe(envelope)}");

        Json.Schema.EvaluationResults own = SchemaSet.Evaluate($"{type}.schema.json", doc.RootElement);
        Assert.True(own.IsValid, $"{file} vs {type}.schema.json:\n{SchemaSet.Describe(own)}");

        // And it matches no other shape: the discriminator really discriminates.
        foreach (string? other in SchemaSet.Types.Where(t => t != type))
        {
            Assert.False(SchemaSet.Evaluate($"{other}.schema.json", doc.RootElement).IsValid, $"{file} also passed {other}.schema.json");
        }
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Invalid_vector_is_rejected_in_the_expected_way(string file)
    {
        Assert.True(ExpectedRejection.TryGetValue(file, out Rejection expected), $"no expected rejection listed for new vector {file}");
        string text = File.ReadAllText(Path.Combine(WireDir, "invalid", file));

        JsonDocument? doc = null;
        JsonException? parseError = null;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            parseError = ex;
        }

        using (doc)
        {
            switch (expected)
            {
                case Rejection.NotParseable:
                    Assert.NotNull(parseError);
                    Assert.Null(doc);
                    break;
                case Rejection.SchemaInvalid:
                    Assert.Null(parseError);
                    Assert.NotNull(doc);
                    Json.Schema.EvaluationResults result = SchemaSet.Evaluate("envelope.schema.json", doc.RootElement);
                    Assert.False(result.IsValid, $"{file} unexpectedly passed envelope.schema.json");
                    Assert.NotEmpty(SchemaSet.Errors(result));
                    break;
            }
        }
    }

    [Fact]
    public void Every_listed_invalid_vector_exists()
    {
        foreach (string file in ExpectedRejection.Keys)
        {
            Assert.True(File.Exists(Path.Combine(WireDir, "invalid", file)), $"missing vector {file}");
        }
    }

    [Fact]
    public void Deeply_nested_vector_fails_on_the_default_depth_limit()
    {
        string text = File.ReadAllText(Path.Combine(WireDir, "invalid", "deeply-nested.json"));
        JsonException ex = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Wrong_field_type_fails_ack_schema_at_alive()
    {
        Json.Schema.EvaluationResults result = SchemaSet.Evaluate("ack.schema.json", File.ReadAllText(Path.Combine(WireDir, "invalid", "wrong-field-type.json")));
        Assert.False(result.IsValid);
        Assert.Contains(SchemaSet.Errors(result), e => e.StartsWith("/alive ", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_from_fails_pulse_schema_on_required()
    {
        Json.Schema.EvaluationResults result = SchemaSet.Evaluate("pulse.schema.json", File.ReadAllText(Path.Combine(WireDir, "invalid", "missing-from.json")));
        Assert.False(result.IsValid);
        Assert.Contains(SchemaSet.Errors(result), e => e.Contains("[required]", StringComparison.Ordinal) && e.Contains("from", StringComparison.Ordinal));
    }

    [Fact]
    public void Parallel_evaluations_with_the_shared_options_are_stable()
    {
        // Sanity check of the shared-options setup (see SchemaSet.Options). The race of json-everything#929 is
        // timing-dependent: this does not reliably reproduce it with per-call options, it only shows stable results.
        (string Text, bool Valid)[] cases = Directory.GetFiles(Path.Combine(WireDir, "valid")).Select(f => (Text: File.ReadAllText(f), Valid: true))
            .Concat(new[] { "missing-type.json", "unknown-type.json", "wrong-field-type.json", "missing-from.json" }
                .Select(f => (Text: File.ReadAllText(Path.Combine(WireDir, "invalid", f)), Valid: false)))
            .ToArray();
        int wrong = 0;
        Parallel.For(0, 400, i =>
        {
            (string? text, bool valid) = cases[i % cases.Length];
            if (SchemaSet.Evaluate("envelope.schema.json", text).IsValid != valid)
            {
                Interlocked.Increment(ref wrong);
            }
        });
        Assert.Equal(0, wrong);
    }
}
