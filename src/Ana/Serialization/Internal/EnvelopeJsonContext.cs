using System.Text.Json.Serialization;

namespace Ana;

/// <summary>The source-generated metadata for the five envelope shapes: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = EnvelopeSerializer.MaxDepth)]
[JsonSerializable(typeof(Query))]
[JsonSerializable(typeof(Reply))]
[JsonSerializable(typeof(Ack))]
[JsonSerializable(typeof(Discovery))]
[JsonSerializable(typeof(Pulse))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class EnvelopeJsonContext : JsonSerializerContext
{
}
