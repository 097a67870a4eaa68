using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Generator.Tests.Json.Dtos;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>
/// Our emitted context against System.Text.Json's own generator (<see cref="ReferenceJsonContext"/>, same options):
/// byte-identical output, identical deserialization, identical failures.
/// </summary>
public sealed class ByteIdenticalTests(GeneratedContextFixture fixture) : IClassFixture<GeneratedContextFixture>
{
    public static TheoryData<string> ValueNames => [.. Samples.Values.Keys];

    public static TheoryData<string> DocumentNames => [.. Samples.Documents.Keys.Where(k => !DeliberateDifferences.ContainsKey(k))];

    /// <summary>
    /// The documents that ours reads differently from System.Text.Json's generator, on purpose: absent <c>init</c> members keep
    /// their initializer (STJ gives them <c>default</c>), and a non-nullable reference member refuses <c>null</c> and absence
    /// without an initializer (STJ accepts both). The value is what ours gives: the JSON it reads back, or null for a refusal;
    /// the second value is what the reference gives (null: an exception).
    /// </summary>
    public static readonly Dictionary<string, (string? Ours, string? Reference)> DeliberateDifferences = new()
    {
        ["InitDefaults name only"] = (
            """{"name":"n","retries":3,"mode":"auto","tags":["default"]}""",
            """{"name":"n","retries":0,"mode":null,"tags":null}"""),
        ["Submission required member null"] = (null, """{"request_id":null,"job":{"id":"a","title":"t","state":"done","priority":5,"note":null},"owner":null,"submitted_at":"0001-01-01T00:00:00+00:00","attempt":1,"tags":null,"permissions":"read"}"""),
        ["Money missing"] = (null, """{"amount":0,"currency":null}"""),
    };

    public static TheoryData<string> DifferenceNames => [.. DeliberateDifferences.Keys];

    [Fact]
    public void The_generated_context_has_no_diagnostics() => Assert.Empty(fixture.Model.Diagnostics);

    [Theory]
    [MemberData(nameof(ValueNames))]
    public void Serialization_is_byte_identical_and_round_trips(string name)
    {
        (Type type, object? value) = Samples.Values[name];
        JsonTypeInfo ours = Ours(type);
        JsonTypeInfo reference = Reference(type);

        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(value, reference);
        byte[] actual = JsonSerializer.SerializeToUtf8Bytes(value, ours);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);

        // Deserialized by ours, the JSON gives an object that the reference writes to the same bytes, and vice versa.
        object? back = JsonSerializer.Deserialize(actual, ours);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(back, reference)));
        object? referenceBack = JsonSerializer.Deserialize(expected, reference);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(referenceBack, ours)));
        if (back is Job or Dtos.Range or Point or Defaults or Outer.Inner.Deep)
        {
            Assert.Equal(value, back);
        }
    }

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void Deserialization_matches_the_reference_including_failures(string name)
    {
        (Type type, string json) = Samples.Documents[name];
        (string? expected, Exception? expectedError) = Read(json, Reference(type), Reference(type));
        (string? actual, Exception? actualError) = Read(json, Ours(type), Reference(type));

        Assert.Equal(expectedError?.GetType(), actualError?.GetType());
        Assert.Equal(expectedError?.Message, actualError?.Message);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(DifferenceNames))]
    public void Defaults_kept_and_nulls_refused_are_deliberate_differences_from_System_Text_Json(string name)
    {
        (Type type, string json) = Samples.Documents[name];
        (string? ours, string? reference) = DeliberateDifferences[name];
        (string? expected, Exception? expectedError) = Read(json, Reference(type), Reference(type));
        (string? actual, Exception? actualError) = Read(json, Ours(type), Reference(type));

        Assert.Equal(reference, expected);
        Assert.Equal(reference is null, expectedError is not null);
        Assert.Equal(ours, actual);
        if (ours is null)
        {
            Assert.IsType<JsonException>(actualError);
            Assert.Contains("non-nullable", actualError.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nulls_are_written_unless_a_member_says_otherwise()
    {
        // A deliberate difference from the WhenWritingNull options the contexts used before (issue 11, item 9): the reference
        // context above now writes nulls too, so every byte-identical comparison covers it.
        JsonTypeInfo<Job> job = (JsonTypeInfo<Job>)Ours(typeof(Job));
        Assert.Contains("\"note\":null", JsonSerializer.Serialize(new Job("a", "b", JobState.Done), job), StringComparison.Ordinal);
        Assert.Equal(JsonIgnoreCondition.Never, fixture.Context.Options.DefaultIgnoreCondition);
        string annotated = JsonSerializer.Serialize(new Annotated(), (JsonTypeInfo<Annotated>)Ours(typeof(Annotated)));
        Assert.Contains("\"always_written\":null", annotated, StringComparison.Ordinal);
        Assert.DoesNotContain("null_skipped", annotated, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_members_fail_in_both_contexts()
    {
        foreach (string name in new[] { "Submission empty object", "Submission missing required keyword member", "Submission missing JsonRequired member", "Mixed missing required", "WithSetsRequired missing" })
        {
            (Type type, string json) = Samples.Documents[name];
            JsonException reference = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Reference(type)));
            JsonException ours = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Ours(type)));
            Assert.Equal(reference.Message, ours.Message);
        }
    }

    [Fact]
    public void Enums_are_strings_named_by_the_naming_policy()
    {
        Assert.Equal("\"failed_hard\"", JsonSerializer.Serialize(JobState.FailedHard, (JsonTypeInfo<JobState>)Ours(typeof(JobState))));
        Assert.Equal("\"read, execute\"", JsonSerializer.Serialize(Permissions.Read | Permissions.Execute, (JsonTypeInfo<Permissions>)Ours(typeof(Permissions))));
        Assert.Equal("\"http_status\"", JsonSerializer.Serialize(Tiny.HTTPStatus, (JsonTypeInfo<Tiny>)Ours(typeof(Tiny))));
    }

    [Fact]
    public void Typed_properties_follow_the_System_Text_Json_naming_scheme()
    {
        Type context = fixture.Context.GetType();
        foreach (string property in new[] { "Job", "Int64", "ListJob", "DictionaryStringJob", "NullableInt32", "JobArray", "PageJob", "Inner", "Deep", "String", "JobState", "NullablePoint", "Int32ArrayArray", "ListListString", "ByteArray" })
        {
            Assert.True(context.GetProperty(property) is not null, $"The context has no property '{property}'.");
        }

        JsonTypeInfo<Job> job = (JsonTypeInfo<Job>)context.GetProperty("Job")!.GetValue(fixture.Context)!;
        Assert.Equal("""{"id":"a","title":"b","state":"done","priority":5,"note":null}""", JsonSerializer.Serialize(new Job("a", "b", JobState.Done), job));
    }

    [Fact]
    public void Types_outside_the_context_are_not_resolved()
    {
        Assert.Null(fixture.Context.GetTypeInfo(typeof(Uri[])));
        Assert.NotNull(fixture.Context.GetTypeInfo(typeof(Uri)));
    }

    [Fact]
    public void Runtime_converters_in_the_options_take_precedence()
    {
        JsonSerializerOptions options = new() { Converters = { new JsonStringEnumUpperConverter() } };
        JsonSerializerContext context = (System.Text.Json.Serialization.JsonSerializerContext)Activator.CreateInstance(fixture.Context.GetType(), options)!;
        Assert.Equal("\"DONE\"", JsonSerializer.Serialize(JobState.Done, context.GetTypeInfo(typeof(JobState))!));
    }

    private JsonTypeInfo Ours(Type type) =>
        fixture.Context.GetTypeInfo(type) ?? throw new InvalidOperationException($"Our context does not cover {type}.");

    private static JsonTypeInfo Reference(Type type) =>
        ReferenceJsonContext.Default.GetTypeInfo(type) ?? throw new InvalidOperationException($"The reference context does not cover {type}.");

    /// <summary>Deserializes with <paramref name="reader"/>; the result is written back with <paramref name="writer"/> so that results compare as text.</summary>
    private static (string? Json, Exception? Error) Read(string json, JsonTypeInfo reader, JsonTypeInfo writer)
    {
        try
        {
            object? value = JsonSerializer.Deserialize(json, reader);
            return (JsonSerializer.Serialize(value, writer), null);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            return (null, e);
        }
    }

    private sealed class JsonStringEnumUpperConverter : System.Text.Json.Serialization.JsonConverter<JobState>
    {
        public override JobState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Enum.Parse<JobState>(reader.GetString()!, ignoreCase: true);

        public override void Write(Utf8JsonWriter writer, JobState value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString().ToUpperInvariant());
    }
}
