using System.Text.Json.Serialization;

namespace Ana;

/// <summary>The sender's clock at publish time: its local wall time and how long it has been running.</summary>
public sealed record EnvelopeClock
{
    /// <summary>The sender's local time, with its UTC offset.</summary>
    [JsonPropertyName("local_time"), JsonConverter(typeof(OffsetTimestampConverter))]
    public DateTimeOffset? LocalTime { get; init; }

    /// <summary>Seconds since the sender started.</summary>
    [JsonPropertyName("uptime_s")]
    public double? UptimeSeconds { get; init; }
}
