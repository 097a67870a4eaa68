using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana.Contracts.Generator.Tests.Json.Dtos;

/// <summary>
/// Enums as strings named by the snake_case policy: what the generated contexts do (JsonStringEnumConverter&lt;T&gt; with the
/// context's naming policy). UseStringEnumConverter = true would keep the declared names, so the reference context uses this.
/// </summary>
public sealed class SnakeCaseLowerEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        JsonConverterFactory factory = (JsonConverterFactory)Activator.CreateInstance(
            typeof(JsonStringEnumConverter<>).MakeGenericType(typeToConvert), JsonNamingPolicy.SnakeCaseLower, true)!;
        return factory.CreateConverter(typeToConvert, options);
    }
}

/// <summary>
/// The reference: System.Text.Json's own source generator over the DTOs, with the options our contexts use (nulls written:
/// <c>JsonIgnoreCondition.Never</c>, the default). Where ours deliberately differs (absent <c>init</c> members keep their
/// initializer; non-nullable members refuse null) the tests say so explicitly.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(SnakeCaseLowerEnumConverter)])]
[JsonSerializable(typeof(Everything))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(Submission))]
[JsonSerializable(typeof(Primitives))]
[JsonSerializable(typeof(Collections))]
[JsonSerializable(typeof(TreeNode))]
[JsonSerializable(typeof(Outer))]
[JsonSerializable(typeof(Annotated))]
[JsonSerializable(typeof(DerivedEvent))]
[JsonSerializable(typeof(Point))]
[JsonSerializable(typeof(Range))]
[JsonSerializable(typeof(Page<Job>))]
[JsonSerializable(typeof(Money))]
[JsonSerializable(typeof(Chosen))]
[JsonSerializable(typeof(Defaults))]
[JsonSerializable(typeof(WithSetsRequired))]
[JsonSerializable(typeof(Mixed))]
[JsonSerializable(typeof(InitDefaults))]
[JsonSerializable(typeof(List<Job>))]
[JsonSerializable(typeof(Dictionary<string, Job>))]
[JsonSerializable(typeof(Job[]))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JobState))]
[JsonSerializable(typeof(Permissions))]
public sealed partial class ReferenceJsonContext : JsonSerializerContext
{
}
