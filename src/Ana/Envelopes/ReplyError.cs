using System.Text.Json.Serialization;

namespace Ana;

/// <summary>The failure a <see cref="Reply"/> carries: a stable machine-readable code and a message for people.</summary>
public sealed record ReplyError
{
    /// <summary>Why the query failed: <c>internal</c>, <c>bad_request</c>, <c>not_found</c>, <c>timeout</c> or an application's own code.</summary>
    [JsonPropertyName("code")]
    public required string Code { get; init; }

    /// <summary>A description for people.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }
}
