using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A heartbeat: what the agent is doing now.</summary>
public sealed record Pulse() : Envelope(EnvelopeTypes.Pulse)
{
    /// <summary>The current activity, e.g. <c>training</c>.</summary>
    [JsonPropertyName("activity")]
    public required string Activity { get; init; }

    /// <summary>Free-form detail of the activity's state.</summary>
    [JsonPropertyName("state")]
    public string? State { get; init; }

    internal override void Validate()
    {
        base.Validate();
        Require(Activity, "activity");
    }
}
