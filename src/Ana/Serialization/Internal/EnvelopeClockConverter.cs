using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>
/// Reads and writes <c>clock</c> by hand. The serializer's own object handling would push a frame for this nested object on
/// every envelope, and pushing allocates the frame stack; as a value converter it costs nothing beyond the record itself.
/// </summary>
internal sealed class EnvelopeClockConverter : JsonConverter<EnvelopeClock>
{
    public override EnvelopeClock Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ReadClock(ref reader);

    /// <summary>Reads a <c>clock</c> object; the reader is on its start.</summary>
    public static EnvelopeClock ReadClock(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The field 'clock' must be an object.");
        }

        DateTimeOffset? localTime = null;
        double? uptimeSeconds = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("local_time"u8))
            {
                reader.Read();
                localTime = reader.TokenType == JsonTokenType.Null ? null : IsoTimestamp.Read(ref reader);
            }
            else if (reader.ValueTextEquals("uptime_s"u8))
            {
                reader.Read();
                uptimeSeconds = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetDouble(out double seconds) && double.IsFinite(seconds) => seconds,
                    _ => throw new JsonException("The field 'clock.uptime_s' must be a finite number."),
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new EnvelopeClock { LocalTime = localTime, UptimeSeconds = uptimeSeconds };
    }

    public override void Write(Utf8JsonWriter writer, EnvelopeClock value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.LocalTime is { } localTime)
        {
            writer.WritePropertyName("local_time"u8);
            IsoTimestamp.WriteWithOffset(writer, localTime);
        }

        if (value.UptimeSeconds is { } uptimeSeconds)
        {
            writer.WriteNumber("uptime_s"u8, uptimeSeconds);
        }

        writer.WriteEndObject();
    }
}
