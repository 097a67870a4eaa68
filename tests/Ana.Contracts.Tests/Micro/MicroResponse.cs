using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using NATS.Client.Core;

namespace Ana.Contracts.Tests.Micro;

/// <summary>
/// One NATS micro response as it came over the wire: its JSON, checked against the fields and patterns ADR-32's schemas
/// require, and read with NATS.Client.Services' own response models.
/// </summary>
internal static partial class MicroResponse
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Requests <paramref name="subject"/> with an empty payload and returns the reply's JSON.</summary>
    public static async Task<JsonElement> RequestAsync(NatsConnection nats, string subject)
    {
        NatsMsg<byte[]> reply = await nats.RequestAsync<byte[], byte[]>(subject, [], replyOpts: new NatsSubOpts { Timeout = Patience });
        Assert.NotNull(reply.Data);
        return JsonDocument.Parse(reply.Data).RootElement.Clone();
    }

    /// <summary>Asserts what every response carries: <c>type</c>, <c>name</c>, <c>id</c>, <c>version</c> (semver), <c>metadata</c> (strings).</summary>
    public static void AssertCommon(JsonElement response, string type)
    {
        Assert.Equal(type, response.GetProperty("type").GetString());
        Assert.Matches(NamePattern(), response.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(response.GetProperty("id").GetString()));
        Assert.Matches(SemanticVersion(), response.GetProperty("version").GetString());
        AssertStringMap(response.GetProperty("metadata"));
    }

    /// <summary>Asserts an INFO response: <c>description</c>, and endpoints with a valid name, a subject and string metadata.</summary>
    public static void AssertInfo(JsonElement info)
    {
        AssertCommon(info, "io.nats.micro.v1.info_response");
        Assert.Equal(JsonValueKind.String, info.GetProperty("description").ValueKind);
        foreach (JsonElement endpoint in info.GetProperty("endpoints").EnumerateArray())
        {
            Assert.Matches(NamePattern(), endpoint.GetProperty("name").GetString());
            Assert.False(string.IsNullOrEmpty(endpoint.GetProperty("subject").GetString()));
            if (endpoint.TryGetProperty("metadata", out JsonElement metadata))
            {
                AssertStringMap(metadata);
            }
        }
    }

    /// <summary>Asserts a STATS response: <c>started</c> (ISO-8601), and per endpoint the counters as integers and <c>last_error</c>.</summary>
    public static void AssertStats(JsonElement stats)
    {
        AssertCommon(stats, "io.nats.micro.v1.stats_response");
        Assert.True(DateTimeOffset.TryParse(stats.GetProperty("started").GetString(), out _));
        foreach (JsonElement endpoint in stats.GetProperty("endpoints").EnumerateArray())
        {
            Assert.Matches(NamePattern(), endpoint.GetProperty("name").GetString());
            Assert.False(string.IsNullOrEmpty(endpoint.GetProperty("subject").GetString()));
            foreach (string counter in new[] { "num_requests", "num_errors", "processing_time", "average_processing_time" })
            {
                Assert.True(endpoint.GetProperty(counter).TryGetInt64(out long value) && value >= 0, counter);
            }

            Assert.Equal(JsonValueKind.String, endpoint.GetProperty("last_error").ValueKind);
        }
    }

    /// <summary>The endpoint named <paramref name="name"/> of an INFO or STATS response.</summary>
    public static JsonElement Endpoint(JsonElement response, string name)
        => Assert.Single(response.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("name").GetString() == name);

    /// <summary>Reads <paramref name="response"/> with a model of NATS.Client.Services (which has no public serializer context).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A test, run with the JIT: the models are public records with public setters.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "A test, run with the JIT.")]
    public static T Read<T>(JsonElement response)
        => response.Deserialize<T>() ?? throw new InvalidOperationException("null response");

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    public static partial Regex NamePattern();

    /// <summary>The pattern of semver.org, as ADR-32's schemas use it.</summary>
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")]
    public static partial Regex SemanticVersion();

    private static void AssertStringMap(JsonElement map)
    {
        Assert.Equal(JsonValueKind.Object, map.ValueKind);
        foreach (JsonProperty entry in map.EnumerateObject())
        {
            Assert.Equal(JsonValueKind.String, entry.Value.ValueKind);
        }
    }
}
