using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ana.Tests.Envelopes;

public class WireVectorTests
{
    public static TheoryData<string> Valid => WireVectors.Names("valid");

    public static TheoryData<string> Invalid => WireVectors.Names("invalid");

    [Fact]
    public void All_vectors_are_present()
    {
        Assert.Equal(9, Valid.Count);
        Assert.Equal(7, Invalid.Count);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_vector_parses_into_its_type_and_round_trips(string name)
    {
        byte[] input = WireVectors.Read("valid", name);
        JsonObject expected = JsonNode.Parse(input)!.AsObject();

        Envelope envelope = EnvelopeSerializer.Parse(input);

        Assert.Equal((string)expected["type"]!, envelope.Type);
        Assert.Equal(expected["type"]!.GetValue<string>(), envelope.GetType().Name.ToLowerInvariant());

        JsonObject actual = JsonNode.Parse(EnvelopeSerializer.SerializeToUtf8Bytes(envelope))!.AsObject();
        expected.Remove("future_field");

        // ts is a timestamp: Z, +00:00 and fractions are the same instant; we write UTC with Z.
        Assert.Equal(DateTimeOffset.Parse((string)expected["ts"]!), DateTimeOffset.Parse((string)actual["ts"]!));
        Assert.EndsWith("Z", (string)actual["ts"]!);
        expected.Remove("ts");
        actual.Remove("ts");

        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
        Assert.Equal("type", actual.First().Key);
    }

    [Fact]
    public void Field_values_are_kept()
    {
        Pulse pulse = Assert.IsType<Pulse>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "pulse.json")));
        Assert.Equal("eve", pulse.From);
        Assert.Equal("training", pulse.Activity);
        Assert.Equal("step=4200,ce=0.83", pulse.State);
        Assert.Equal("claw-0001", pulse.Host);
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 15, 35, 0, TimeSpan.FromHours(9)), pulse.Clock!.LocalTime);
        Assert.Equal(TimeSpan.FromHours(9), pulse.Clock.LocalTime!.Value.Offset);
        Assert.Equal(3600d, pulse.Clock.UptimeSeconds);
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 6, 35, 0, TimeSpan.Zero), pulse.Ts);

        Reply reply = Assert.IsType<Reply>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "reply.json")));
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 6, 35, 0, 250, TimeSpan.Zero), reply.Ts);
        Assert.Equal("ab12", reply.RequestId);
        Assert.True(reply.Data!.Value.GetProperty("alive").GetBoolean());

        Query query = Assert.IsType<Query>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "query.json")));
        Assert.Equal(["uptime", "version"], query.Fields);
        Assert.Equal("status?", query.Text);
        Assert.Equal("bob", query.To);

        Query minimal = Assert.IsType<Query>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "query-minimal.json")));
        Assert.Null(minimal.RequestId);
        Assert.Null(minimal.Fields);
        Assert.Null(minimal.Clock);

        Ack ack = Assert.IsType<Ack>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "ack.json")));
        Assert.True(ack.Alive);
        Assert.Equal("cc.fleet.carol.query.status", ack.AckFor);

        Discovery discovery = Assert.IsType<Discovery>(EnvelopeSerializer.Parse(WireVectors.Read("valid", "discovery.json")));
        Assert.Equal("A100", discovery.Capabilities!["gpu"].GetString());
        Assert.Equal(["cc.fleet.dave.>"], discovery.SubjectsOwned);
    }

    [Theory]
    [InlineData("not-json.txt", "not valid JSON")]
    [InlineData("truncated.json", "not valid JSON")]
    [InlineData("deeply-nested.json", "depth")]
    [InlineData("missing-type.json", "no 'type' field")]
    [InlineData("unknown-type.json", "'gossip' is unknown")]
    [InlineData("wrong-field-type.json", "$.alive")]
    [InlineData("missing-from.json", "from")]
    public void An_invalid_vector_gets_a_typed_error_naming_the_problem(string name, string expectedInMessage)
    {
        byte[] input = WireVectors.Read("invalid", name);

        AnaEnvelopeException error = Assert.Throws<AnaEnvelopeException>(() => EnvelopeSerializer.Parse(input));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_vector_has_a_case()
    {
        IOrderedEnumerable<string> covered = typeof(WireVectorTests).GetMethod(nameof(An_invalid_vector_gets_a_typed_error_naming_the_problem))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false)
            .Select(a => (string)((InlineDataAttribute)a).GetData(null!).Single()[0])
            .Order();
        Assert.Equal(Directory.GetFiles(WireVectors.Directory("invalid")).Select(Path.GetFileName).Order(), covered);
    }

    [Fact]
    public void An_oversized_payload_is_rejected_before_parsing()
    {
        byte[] input = WireVectors.Read("valid", "query.json");

        AnaEnvelopeException error = Assert.Throws<AnaEnvelopeException>(() => EnvelopeSerializer.Parse(input, maxBytes: 16));

        Assert.Contains("the limit is 16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"query","from":null,"to":"b","query":"q","ts":"2026-05-14T06:35:00Z"}""", "'from' is null")]
    [InlineData("""{"type":"ack","from":"a","ack_for":"x","ts":"yesterday"}""", "ISO-8601")]
    [InlineData("""{"type":7,"from":"a"}""", "'type' must be a string")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("""{"type":"reply","from":"a","reply_for":"x","ts":"2026-05-14T06:35:00Z","error":{"code":"internal"}}""", "message")]
    [InlineData("""{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":[1]}""", "'clock' must be an object")]
    [InlineData("""{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"uptime_s":"long"}}""", "'clock.uptime_s' must be a finite number")]
    [InlineData("""{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"local_time":5}}""", "ISO-8601")]
    [InlineData("""{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"uptime_s":1e999}}""", "'clock.uptime_s' must be a finite number")]
    public void Other_bad_input_gets_a_typed_error(string json, string expectedInMessage)
    {
        AnaEnvelopeException error = Assert.Throws<AnaEnvelopeException>(() => EnvelopeSerializer.Parse(json));
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clock_keeps_its_fields_ignores_unknown_ones_and_accepts_nulls()
    {
        Pulse pulse = Assert.IsType<Pulse>(EnvelopeSerializer.Parse(
            """{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"tz":"CET","local_time":"2026-05-14T08:35:00.5+02:00","extra":{"a":[1,{"b":2}]},"uptime_s":3}}"""));
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 8, 35, 0, 500, TimeSpan.FromHours(2)), pulse.Clock!.LocalTime);
        Assert.Equal(TimeSpan.FromHours(2), pulse.Clock.LocalTime!.Value.Offset);
        Assert.Equal(3, pulse.Clock.UptimeSeconds);
        Assert.Contains(""","clock":{"local_time":"2026-05-14T08:35:00.5+02:00","uptime_s":3}""", EnvelopeSerializer.Serialize(pulse), StringComparison.Ordinal);

        Pulse empty = Assert.IsType<Pulse>(EnvelopeSerializer.Parse(
            """{"type":"pulse","from":"a","activity":"x","ts":"2026-05-14T06:35:00Z","clock":{"local_time":null,"uptime_s":null}}"""));
        Assert.Equal(new EnvelopeClock(), empty.Clock);
        Assert.Contains(""","clock":{},""", EnvelopeSerializer.Serialize(empty), StringComparison.Ordinal);
    }

    [Fact]
    public void The_type_need_not_come_first_and_null_optionals_are_accepted()
    {
        Reply reply = Assert.IsType<Reply>(EnvelopeSerializer.Parse(
            """{"from":"bob","reply_for":"s","request_id":null,"data":null,"clock":null,"host":null,"type":"reply","ts":"2026-05-14T06:35:00"}"""));
        Assert.Null(reply.Data);
        Assert.Null(reply.RequestId);
        Assert.Equal(TimeSpan.Zero, reply.Ts.Offset);
        Assert.Equal("""{"type":"reply","from":"bob","reply_for":"s","ts":"2026-05-14T06:35:00Z"}""", EnvelopeSerializer.Serialize(reply));
    }

    [Theory]
    [InlineData("2026-05-14T15:35:00+09:00")]
    [InlineData("2026-05-14T15:35:00\\u002B09:00")]
    [InlineData("2026-05-14T06:35:00Z")]
    [InlineData("2026-05-14T06:35:00")]
    public void Timestamps_keep_their_offset_even_when_escaped(string ts)
    {
        Pulse pulse = Assert.IsType<Pulse>(EnvelopeSerializer.Parse($$"""{"type":"pulse","from":"a","activity":"x","ts":"{{ts}}"}"""));
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 6, 35, 0, TimeSpan.Zero), pulse.Ts);
    }

    [Fact]
    public void Extension_fields_round_trip()
    {
        Query query = new()
        {
            From = "alice",
            To = "bob",
            Text = "sum",
            Ts = new DateTimeOffset(2026, 5, 14, 6, 35, 0, 123, TimeSpan.FromHours(2)),
            Data = JsonDocument.Parse("""{"a":1,"b":[true,null]}""").RootElement,
            TimeoutSeconds = 0.5,
        };
        string json = EnvelopeSerializer.Serialize(query);
        Assert.Equal(
            """{"type":"query","from":"alice","to":"bob","query":"sum","data":{"a":1,"b":[true,null]},"timeout_s":0.5,"ts":"2026-05-14T04:35:00.123Z"}""",
            json);

        Reply reply = new()
        {
            From = "bob",
            ReplyFor = "cc.fleet.bob.query.sum",
            RequestId = "r1",
            Ts = DateTimeOffset.UnixEpoch,
            Error = new ReplyError { Code = "bad_request", Message = "b is missing" },
        };
        Reply parsed = Assert.IsType<Reply>(EnvelopeSerializer.Parse(EnvelopeSerializer.Serialize(reply)));
        Assert.Equal(reply, parsed);
    }
}
