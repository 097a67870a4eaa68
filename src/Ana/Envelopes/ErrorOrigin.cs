using System.Text.Json.Serialization;

namespace Ana;

/// <summary>
/// One agent's call in the path of an error: where it was raised (<see cref="ReplyError.Origin"/>), or a call it
/// travelled back through (<see cref="ReplyError.Via"/>). Typed-contract extension: a Python <c>ana</c> peer ignores it.
/// </summary>
public sealed record ErrorOrigin
{
    /// <summary>The agent that served the call.</summary>
    [JsonPropertyName("agent")]
    public string? Agent { get; init; }

    /// <summary>The topic it was called on.</summary>
    [JsonPropertyName("topic")]
    public string? Topic { get; init; }

    /// <summary>The request id of that call.</summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; init; }
}
