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

    /// <summary>
    /// Typed-contract extension: the call where the error was raised, also when it travelled back through others (an
    /// agent whose handler fails because a call it made failed passes the error on with its code, message and origin).
    /// A C# agent always sends it; a Python peer sends none.
    /// </summary>
    [JsonPropertyName("origin")]
    public ErrorOrigin? Origin { get; init; }

    /// <summary>
    /// Typed-contract extension: the calls the error travelled back through after its <see cref="Origin"/>, nearest the
    /// origin first; absent when it comes straight from where it was raised.
    /// </summary>
    [JsonPropertyName("via")]
    public IReadOnlyList<ErrorOrigin?>? Via { get; init; }
}
