using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Ana;

/// <summary>A heartbeat: what the agent is doing now.</summary>
public sealed record Pulse : Envelope
{
    /// <summary>Creates an empty pulse envelope; set its required fields with an object initializer.</summary>
    public Pulse()
        : base(EnvelopeTypes.Pulse)
    {
    }

    // For the bus's own envelopes: the origin is stamped here, and each caller's object initializer sets the rest.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal Pulse(in EnvelopeOrigin origin)
        : base(EnvelopeTypes.Pulse, origin)
    {
    }
#pragma warning restore CS8618

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
