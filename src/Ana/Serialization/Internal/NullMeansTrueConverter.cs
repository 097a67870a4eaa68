using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A boolean that reads JSON <c>null</c> as <see langword="true"/>, its default.</summary>
internal sealed class NullMeansTrueConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null || reader.GetBoolean();

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
