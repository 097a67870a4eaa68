using System.Text.Json.Serialization;

namespace Ana;

/// <summary>The sender's clock at publish time: its local wall time and how long it has been running.</summary>
/// <remarks>On the wire: <c>{"local_time": "2026-05-14T08:35:00.123456+02:00", "uptime_s": 12.5}</c>.</remarks>
[JsonConverter(typeof(EnvelopeClockConverter))]
public sealed record EnvelopeClock
{
    /// <summary>The sender's local time, with its UTC offset (<c>local_time</c>).</summary>
    public DateTimeOffset? LocalTime { get; init; }

    /// <summary>Seconds since the sender started (<c>uptime_s</c>).</summary>
    public double? UptimeSeconds { get; init; }
}
