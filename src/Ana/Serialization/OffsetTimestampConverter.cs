using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>Reads any ISO-8601 timestamp and writes it with its own UTC offset kept.</summary>
internal sealed class OffsetTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => IsoTimestamp.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => IsoTimestamp.WriteWithOffset(writer, value);
}
