using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>Reads any ISO-8601 timestamp and writes it in UTC with a <c>Z</c>.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => IsoTimestamp.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => IsoTimestamp.WriteUtc(writer, value);
}
