using System.Text.Json;
using Json.Schema;

namespace Ana.Schemas.Tests;

/// <summary>Handwritten envelopes that must pass or fail, so that each constraint of the schemas is exercised.</summary>
public class HandwrittenCaseTests
{
    public static TheoryData<string, string, bool> Cases() => new()
    {
        // --- common fields ---
        { "from empty", """{"type": "ack", "from": "", "ack_for": "s", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "from number", """{"type": "ack", "from": 7, "ack_for": "s", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "from null", """{"type": "ack", "from": null, "ack_for": "s", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "ts missing", """{"type": "ack", "from": "c", "ack_for": "s"}""", false },
        { "ts not a date-time", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "yesterday"}""", false },
        { "ts without offset", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00"}""", false },
        { "ts date only", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14"}""", false },
        { "ts number", """{"type": "ack", "from": "c", "ack_for": "s", "ts": 1747204500}""", false },
        { "ts +00:00 with micros", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00.250000+00:00"}""", true },
        { "ts Z with millis", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00.25Z"}""", true },
        { "clock null", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": null}""", true },
        { "clock empty object", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {}}""", true },
        { "clock uptime zero", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {"uptime_s": 0}}""", true },
        { "clock uptime negative", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {"uptime_s": -1}}""", false },
        { "clock uptime string", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {"uptime_s": "3600"}}""", false },
        { "clock local_time bad", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {"local_time": "noon"}}""", false },
        { "clock array", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": []}""", false },
        { "clock unknown member", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "clock": {"tz": "JST"}}""", true },
        { "host null", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "host": null}""", true },
        { "host number", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "host": 5}""", false },
        { "unknown extra field", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "x_future": {"a": [1]}}""", true },

        // --- query ---
        { "query timeout_s zero", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "timeout_s": 0}""", false },
        { "query timeout_s negative", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "timeout_s": -2.5}""", false },
        { "query timeout_s string", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "timeout_s": "5"}""", false },
        { "query timeout_s fraction", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "timeout_s": 0.5}""", true },
        { "query timeout_s null", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "timeout_s": null}""", true },
        { "query data object", """{"type": "query", "from": "a", "to": "b", "query": "add", "ts": "2026-05-14T06:35:00Z", "data": {"x": 1, "y": [2]}, "request_id": "AAAAAAAAAAAAAAAA", "timeout_s": 5}""", true },
        { "query data scalar", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "data": 3}""", true },
        { "query data null", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "data": null}""", true },
        { "query fields null", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "fields": null}""", true },
        { "query fields not strings", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "fields": ["a", 1]}""", false },
        { "query fields string", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "fields": "uptime"}""", false },
        { "query request_id number", """{"type": "query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z", "request_id": 12}""", false },
        { "query missing to", """{"type": "query", "from": "a", "query": "q", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "query missing query", """{"type": "query", "from": "a", "to": "b", "ts": "2026-05-14T06:35:00Z"}""", false },

        // --- reply ---
        { "reply with error", """{"type": "reply", "from": "b", "reply_for": "cc.fleet.b.query.t", "request_id": "r", "ts": "2026-05-14T06:35:00Z", "error": {"code": "not_found", "message": "no topic t"}}""", true },
        { "reply with app error code", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "error": {"code": "quota_exceeded", "message": "", "detail": 1}}""", true },
        { "reply error null", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "data": [1], "error": null}""", true },
        { "reply error without message", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "error": {"code": "internal"}}""", false },
        { "reply error without code", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "error": {"message": "boom"}}""", false },
        { "reply error empty code", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "error": {"code": "", "message": "boom"}}""", false },
        { "reply error string", """{"type": "reply", "from": "b", "reply_for": "s", "ts": "2026-05-14T06:35:00Z", "error": "boom"}""", false },
        { "reply missing reply_for", """{"type": "reply", "from": "b", "ts": "2026-05-14T06:35:00Z", "data": 1}""", false },

        // --- ack ---
        { "ack without alive", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z"}""", true },
        { "ack alive false", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "alive": false}""", true },
        { "ack alive null", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "alive": null}""", true },
        { "ack alive number", """{"type": "ack", "from": "c", "ack_for": "s", "ts": "2026-05-14T06:35:00Z", "alive": 1}""", false },
        { "ack missing ack_for", """{"type": "ack", "from": "c", "ts": "2026-05-14T06:35:00Z"}""", false },

        // --- discovery ---
        { "discovery minimal", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z"}""", true },
        { "discovery nulls", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "role": null, "subjects_owned": null, "capabilities": null}""", true },
        { "discovery capability values any", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "capabilities": {"gpus": 8, "tags": ["a"], "x": null}}""", true },
        { "discovery subjects not strings", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "subjects_owned": [1]}""", false },
        { "discovery serves", """{"type": "discovery", "from": "planner-1", "ts": "2026-05-14T06:35:00Z", "serves": [{"agent": "planner", "topics": ["plan", "default"]}, {"agent": "notes"}]}""", true },
        { "discovery serves null", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "serves": null}""", true },
        { "discovery serves without agent", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "serves": [{"topics": ["plan"]}]}""", false },
        { "discovery serves topics not strings", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "serves": [{"agent": "p", "topics": [1]}]}""", false },
        { "discovery capabilities array", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "capabilities": ["gpu"]}""", false },
        { "discovery role number", """{"type": "discovery", "from": "d", "ts": "2026-05-14T06:35:00Z", "role": 3}""", false },

        // --- pulse ---
        { "pulse minimal", """{"type": "pulse", "from": "e", "activity": "idle", "ts": "2026-05-14T06:35:00Z"}""", true },
        { "pulse missing activity", """{"type": "pulse", "from": "e", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "pulse state number", """{"type": "pulse", "from": "e", "activity": "idle", "ts": "2026-05-14T06:35:00Z", "state": 4200}""", false },

        // --- envelope level ---
        { "type wrong case", """{"type": "Query", "from": "a", "to": "b", "query": "q", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "type null", """{"type": null, "from": "a", "ts": "2026-05-14T06:35:00Z"}""", false },
        { "not an object", """["query"]""", false },
        { "string instance", "\"query\"", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Envelope_schema_decides_as_expected(string name, string json, bool valid)
    {
        EvaluationResults result = SchemaSet.Evaluate("envelope.schema.json", json);
        Assert.True(result.IsValid == valid, $"{name}: expected {(valid ? "valid" : "invalid")}, got:\n{SchemaSet.Describe(result)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Own_type_schema_agrees_with_envelope_schema(string name, string json, bool valid)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("type", out JsonElement t)
            || t.ValueKind != JsonValueKind.String
            || !SchemaSet.Types.Contains(t.GetString()))
        {
            return; // no shape to check against: covered by the envelope test
        }

        EvaluationResults result = SchemaSet.Evaluate($"{t.GetString()}.schema.json", doc.RootElement);
        Assert.True(result.IsValid == valid, $"{name}: expected {(valid ? "valid" : "invalid")}, got:\n{SchemaSet.Describe(result)}");
    }

    [Fact]
    public void Yesterday_is_not_a_timestamp()
    {
        EvaluationResults result = SchemaSet.Evaluate("pulse.schema.json", """{"type": "pulse", "from": "e", "activity": "idle", "ts": "yesterday"}""");
        Assert.False(result.IsValid);
        Assert.Contains(SchemaSet.Errors(result), e => e.StartsWith("/ts ", StringComparison.Ordinal) && e.Contains("[format]", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_is_only_an_annotation_unless_format_validation_is_required()
    {
        // Why SchemaSet.Options sets RequireFormatValidation: in draft 2020-12 "format" is an annotation by default.
        // A fresh schema is used on purpose: JsonSchema.Net caches the constraints it builds for a schema instance on
        // its first evaluation, so re-evaluating an already-used schema with other options does not change the outcome.
        const string schemaText = """{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string", "format": "date-time"}""";
        using JsonDocument yesterday = JsonDocument.Parse("\"yesterday\"");
        Assert.True(JsonSchema.FromText(schemaText).Evaluate(yesterday.RootElement, new EvaluationOptions()).IsValid);
        Assert.False(JsonSchema.FromText(schemaText).Evaluate(yesterday.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);
    }

    [Fact]
    public void A_query_does_not_pass_the_reply_schema()
    {
        EvaluationResults result = SchemaSet.Evaluate("reply.schema.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wire", "valid", "query.json")));
        Assert.False(result.IsValid);
        Assert.Contains(SchemaSet.Errors(result), e => e.StartsWith("/type ", StringComparison.Ordinal));
    }
}
