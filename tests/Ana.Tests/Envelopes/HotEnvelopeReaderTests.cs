using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsCheck;

namespace Ana.Tests.Envelopes;

/// <summary>
/// The hand-written reader of queries and replies (through <see cref="EnvelopeSerializer.Parse(ReadOnlySpan{byte}, int)"/>,
/// which hands it the envelope after its leading <c>type</c>, or from the start when <c>type</c> comes later) against the
/// serializer's source-generated metadata, which read them before: on every input both accept the same envelopes
/// (written back identically) and refuse the same ones.
/// </summary>
public sealed class HotEnvelopeReaderTests
{
    // For each field: values of the right type, null, and values of every wrong type.
    private static readonly string[] Strings = ["\"bob\"", "\"cc.fleet.bob.query.status\"", "\"x\\u0041y\"", "null", "5", "true", "[]", "{}"];
    private static readonly string[] Timestamps = ["\"2026-05-14T06:35:00Z\"", "\"2026-05-14T08:35:00.25+02:00\"", "\"2026-05-14T06:35:00\"", "\"yesterday\"", "null", "7"];
    private static readonly string[] Numbers = ["1.5", "30", "0", "-2", "null", "\"1\"", "false", "[1]"];
    private static readonly string[] Integers = ["1", "30", "0", "-2", "1.5", "1e2", "9999999999", "99999999999999999999", "null", "\"1\"", "false"];
    private static readonly string[] Booleans = ["true", "false", "null", "1", "\"true\"", "{}"];
    private static readonly string[] Lists = ["[\"a\",\"b\"]", "[]", "[\"a\",null]", "null", "[1]", "\"a\"", "{}"];
    private static readonly string[] Values = ["{\"x\":[1,{\"y\":null}]}", "[1,2]", "\"text\"", "3", "null", "true"];
    private static readonly string[] Clocks = ["{\"local_time\":\"2026-05-14T08:35:00+02:00\",\"uptime_s\":1.5}", "{}", "null", "{\"uptime_s\":\"x\"}", "[]", "{\"other\":{\"a\":1}}"];
    private static readonly string[] Errors = ["{\"code\":\"internal\",\"message\":\"m\"}", "{\"code\":\"x\"}", "{\"code\":null,\"message\":\"m\"}", "null", "\"oops\"", "{\"message\":\"m\",\"code\":\"c\",\"more\":[]}",
        "{\"code\":\"c\",\"message\":\"m\",\"origin\":{\"agent\":\"carol\",\"topic\":\"add\",\"request_id\":\"r1\",\"x\":1},\"via\":[{\"agent\":\"bob\"},null]}",
        "{\"code\":\"c\",\"message\":\"m\",\"origin\":null,\"via\":null}", "{\"code\":\"c\",\"message\":\"m\",\"origin\":5}",
        "{\"code\":\"c\",\"message\":\"m\",\"via\":{}}", "{\"code\":\"c\",\"message\":\"m\",\"via\":[5]}",
        "{\"code\":\"c\",\"message\":\"m\",\"origin\":{\"agent\":7}}", "{\"code\":\"c\",\"message\":\"m\",\"origin\":{},\"via\":[]}"];

    private static readonly (string Name, string[] Values)[] QueryFields =
    [
        ("from", Strings), ("to", Strings), ("query", Strings), ("request_id", Strings), ("host", Strings), ("ts", Timestamps),
        ("timeout_s", Numbers), ("stream_window", Integers), ("progress", Booleans), ("heartbeat_s", Numbers), ("fields", Lists), ("data", Values), ("clock", Clocks), ("type", Strings), ("unknown", Values),
    ];

    private static readonly (string Name, string[] Values)[] ReplyFields =
    [
        ("from", Strings), ("reply_for", Strings), ("request_id", Strings), ("host", Strings), ("ts", Timestamps),
        ("data", Values), ("error", Errors), ("seq", Integers), ("end", Booleans), ("clock", Clocks), ("type", Strings), ("unknown", Values),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Queries_are_read_as_the_serializer_reads_them(bool typeFirst)
        => Envelopes(QueryFields, "query", typeFirst).Sample(json => AssertSameOutcome(
            json, bytes => EnvelopeSerializer.Parse(bytes), EnvelopeJsonContext.Default.Query), iter: 20_000);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Replies_are_read_as_the_serializer_reads_them(bool typeFirst)
        => Envelopes(ReplyFields, "reply", typeFirst).Sample(json => AssertSameOutcome(
            json, bytes => EnvelopeSerializer.Parse(bytes), EnvelopeJsonContext.Default.Reply), iter: 20_000);

    /// <summary>What a call that waits reads: the reply's frame, its data copied out and read only then.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Replies_read_as_frames_for_their_calls_are_read_as_the_serializer_reads_them(bool typeFirst)
        => Envelopes(ReplyFields, "reply", typeFirst).Sample(json => AssertSameOutcome(
            json,
            bytes => EnvelopeSerializer.TryParseReplyFrame(bytes, EnvelopeSerializer.DefaultMaxBytes, out ReplyFrame frame, out _)
                ? ReceivedReply.Copy(frame, bytes).ToReply()
                : throw new AnaEnvelopeException("not a reply"),
            EnvelopeJsonContext.Default.Reply), iter: 20_000);

    [Theory]
    [InlineData("""{"type":"query","from":"a","to":"b","query":"q","ts":"2026-05-14T06:35:00Z"} x""", "not valid JSON")]
    [InlineData("""{"type":"query","from":"a","to":"b","query":"q","ts":"2026-05-14T06:35:00Z","timeout_s":1e999}""", "'timeout_s' must be a finite number")]
    [InlineData("""{"type":"query","from":"a","query":"q","ts":"2026-05-14T06:35:00Z"}""", "'to' is missing")]
    [InlineData("""{"type":"query","from":"a","to":3,"query":"q","ts":"2026-05-14T06:35:00Z"}""", "'to' must be a string, not a number")]
    [InlineData("""{"type":"reply","from":"a","reply_for":"s","ts":"soon"}""", "'ts' must be an ISO-8601 timestamp")]
    [InlineData("""{"type":"reply","from":"a","reply_for":"s","ts":"2026-05-14T06:35:00Z","data":[[[""", "not valid JSON")]
    public void Bad_queries_and_replies_get_errors_that_name_the_field(string json, string expected)
    {
        AnaEnvelopeException error = Assert.Throws<AnaEnvelopeException>(() => EnvelopeSerializer.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Envelopes with a random subset of the fields, in random order, sometimes twice, with random values; their
    /// <c>type</c> first (as ana writes them: read in one pass) or last (found by a scan first).
    /// </summary>
    private static Gen<string> Envelopes((string Name, string[] Values)[] fields, string type, bool typeFirst)
    {
        // A second "type" before the one that names the shape would be the one read (the first counts): only as a duplicate after it.
        fields = typeFirst ? fields : Array.FindAll(fields, f => f.Name != "type");
        Gen<string> field = Gen.Int[0, fields.Length - 1].SelectMany(i => Gen.Int[0, fields[i].Values.Length - 1]
            .Select(v => $"\"{fields[i].Name}\":{fields[i].Values[v]}"));
        string typeField = $"\"type\":\"{type}\"";
        return field.Array[0, 14].Select(parts => typeFirst
            ? $"{{{typeField}{string.Concat(parts.Select(part => "," + part))}}}"
            : $"{{{string.Concat(parts.Select(part => part + ","))}{typeField}}}");
    }

    private static void AssertSameOutcome<T>(string json, ReadFunc read, JsonTypeInfo<T> metadata)
        where T : Envelope
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        string? expected = Outcome(() => JsonSerializer.Deserialize(bytes, metadata)!);
        string? actual = Outcome(() => read(bytes));
        Assert.True(expected == actual, $"{json}\n  serializer: {expected ?? "refused"}\n  reader:     {actual ?? "refused"}");
    }

    /// <summary>The envelope written back (after the checks every parse makes), or null when refused.</summary>
    private static string? Outcome(Func<Envelope> read)
    {
        try
        {
            Envelope envelope = read();
            envelope.Validate();
            return EnvelopeSerializer.Serialize(envelope);
        }
        catch (Exception ex) when (ex is JsonException or AnaEnvelopeException or InvalidOperationException)
        {
            return null;
        }
    }

    private delegate Envelope ReadFunc(ReadOnlySpan<byte> utf8Json);
}
