using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

/// <summary>
/// Declared defaults are kept when a member is absent, nulls are written, and a non-nullable member refuses null (issue #11,
/// items 2, 9 and 3), over each transport and on each target framework. The raw queries are what a Python peer or an older
/// client sends.
/// </summary>
public abstract class DefaultsAndNullsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected abstract string Url { get; }

    private IPlanner Client { get; set; } = null!;

    private AgentBus Caller { get; set; } = null!;

    public async Task InitializeAsync()
    {
        AgentBusOptions options = new() { Url = Url, Prefix = "dn.fleet" };
        AgentBus server = await AgentBus.ConnectAsync("planner-1", options);
        _cleanup.Add(server);
        _cleanup.Add(await server.ServeAsync<IPlanner>(new Planner()));
        Caller = await AgentBus.ConnectAsync("alice", options);
        _cleanup.Add(Caller);
        Client = Caller.Client<IPlanner>();
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [SuiteFact]
    public async Task Absent_members_keep_their_declared_defaults()
    {
        JsonElement request = await EchoAsync("echo_class", """{"request":{"goal":"g"}}""");
        Assert.Equal("""{"goal":"g","urgency":"normal","constraints":[],"note":"none","retries":3}""", request.GetRawText());

        JsonElement record = await EchoAsync("echo_record", """{"plan":{"goal":"g"}}""");
        Assert.Equal("""{"goal":"g","steps":4,"urgency":"normal","constraints":["safe"],"owner":"nobody"}""", record.GetRawText());

        JsonElement window = await EchoAsync("echo_struct", """{"window":{"name":"w"}}""");
        Assert.Equal("""{"name":"w","hours":8,"zone":"UTC"}""", window.GetRawText());

        JsonElement slot = await EchoAsync("echo_slot", """{"slot":{"name":"s"}}""");
        Assert.Equal("""{"name":"s","index":0}""", slot.GetRawText());

        Assert.Equal("""{"level":2,"kind":"base"}""", (await EchoAsync("echo_derived", """{"plan":{}}""")).GetRawText());
        Assert.Equal("""{"level":3,"kind":"k"}""", (await EchoAsync("echo_derived", """{"plan":{"kind":"k","level":3}}""")).GetRawText());

        JsonElement batch = await EchoAsync("echo_batch", """{"batch":{"items":[{"goal":"g","owner":"o"}]}}""");
        Assert.Equal("""{"items":[{"goal":"g","steps":4,"urgency":"normal","constraints":["safe"],"owner":"o"}],"size":50,"label":"batch"}""", batch.GetRawText());
    }

    [SuiteFact]
    public async Task Present_members_round_trip_through_the_typed_client()
    {
        PlanRequest request = await Client.EchoClassAsync(new PlanRequest { Goal = "g", Urgency = Urgency.High, Constraints = ["c"], Note = "n", Retries = 1 });
        Assert.Equal(("g", Urgency.High, "c", "n", 1), (request.Goal, request.Urgency, Assert.Single(request.Constraints), request.Note, request.Retries));

        PlanRecord record = await Client.EchoRecordAsync(new PlanRecord("g", 2) { Urgency = Urgency.Low, Constraints = [], Owner = "o" });
        Assert.Equal(("g", 2, Urgency.Low, 0, "o"), (record.Goal, record.Steps, record.Urgency, record.Constraints.Count, record.Owner));

        PlanWindow window = await Client.EchoStructAsync(new PlanWindow { Name = "w", Hours = 0, Zone = "CET" });
        Assert.Equal(("w", 0, "CET"), (window.Name, window.Hours, window.Zone));

        Batch<PlanRecord> batch = await Client.EchoBatchAsync(new Batch<PlanRecord> { Items = [record], Size = 1, Label = "l" });
        Assert.Equal(("g", "o", 1, "l"), (Assert.Single(batch.Items).Goal, batch.Items[0].Owner, batch.Size, batch.Label));
    }

    [SuiteFact]
    public async Task A_null_member_whose_initializer_is_not_null_is_written_and_arrives_null()
    {
        PlanRequest echoed = await Client.EchoClassAsync(new PlanRequest { Goal = "g", Note = null });
        Assert.Null(echoed.Note);

        // On the wire the null is written (were it left out, the server would read the initializer "none").
        JsonElement raw = await EchoAsync("echo_class", """{"request":{"goal":"g","note":null}}""");
        Assert.Equal(JsonValueKind.Null, raw.GetProperty("note").ValueKind);
    }

    [SuiteFact]
    public async Task Absent_required_members_are_a_bad_request()
    {
        await AssertBadRequestAsync("echo_class", """{"request":{"urgency":"high"}}""", "request");
        await AssertBadRequestAsync("echo_struct", """{"window":{"hours":1}}""", "window");
        await AssertBadRequestAsync("echo_batch", """{"batch":{}}""", "batch");
        await AssertBadRequestAsync("echo_slot", """{"slot":{"index":1}}""", "slot");
    }

    [SuiteFact]
    public async Task A_null_or_absent_non_nullable_member_is_a_bad_request_naming_the_member_and_its_path()
    {
        await AssertBadRequestAsync("echo_class", """{"request":{"goal":null}}""", "request", "'goal'", "$.goal");
        await AssertBadRequestAsync("echo_class", """{"request":{"goal":"g","constraints":null}}""", "request", "'constraints'", "$.constraints");
        await AssertBadRequestAsync("echo_record", """{"plan":{"goal":null}}""", "plan", "'goal'");
        await AssertBadRequestAsync("echo_record", """{"plan":{}}""", "plan", "'goal'");
        await AssertBadRequestAsync("echo_batch", """{"batch":{"items":[{"goal":"g"}, {"steps":1}]}}""", "batch", "'goal'", "$.items[1]");
        await AssertBadRequestAsync("echo_record", """{"plan":{"goal":"g","owner":null}}""", "plan", "'owner'", "$.owner");
        await AssertBadRequestAsync("echo_struct", """{"window":{"name":"w","zone":null}}""", "window", "'zone'", "$.zone");
        await AssertBadRequestAsync("echo_batch", """{"batch":{"items":[{"goal":"g","owner":null}]}}""", "batch", "'owner'", "$.items[0].owner");
        // Checked by the creator (a constructor parameter, or a member of a generic type's object initializer) or after the object
        // is read (an absent member): the path is the object's, and the message names the member.
        await AssertBadRequestAsync("echo_batch", """{"batch":{"items":null}}""", "batch", "'items'", "Path: $");
        await AssertBadRequestAsync("echo_class", """{"request":{"goal":"g","constraints":null}}""", "request", "'constraints'");
    }

    [SuiteFact]
    public async Task Arguments_follow_the_same_rules()
    {
        Assert.Equal("fast/none", (await EchoAsync("mode", "{}")).GetString());
        Assert.Equal("slow/null", (await EchoAsync("mode", """{"mode":"slow","hint":null}""")).GetString());
        Assert.Equal("fast/null", await Client.ModeAsync(hint: null));
        await AssertBadRequestAsync("mode", """{"mode":null}""", "'mode'", "non-nullable");
    }

    [SuiteFact]
    public async Task The_arguments_object_is_read_as_System_Text_Json_reads_objects()
    {
        // Unknown arguments of any shape are skipped; a name given twice counts as its last value; escaped names match.
        Assert.Equal("slow/h", (await EchoAsync("mode", """{"extra":{"deep":[1,{"mode":"no"},null]},"mode":"slow","more":[],"hint":"h"}""")).GetString());
        Assert.Equal("slow/none", (await EchoAsync("mode", """{"mode":"fast","mode":"slow"}""")).GetString());
        Assert.Equal("slow/none", (await EchoAsync("mode", """{"m\u006fde":"slow"}""")).GetString());
        Assert.Equal("fast/none", (await EchoAsync("mode", "null")).GetString());
        await AssertBadRequestAsync("mode", "[1]", "must be a JSON object, not Array");
        await AssertBadRequestAsync("mode", "\"slow\"", "must be a JSON object, not String");
        await AssertBadRequestAsync("mode", """{"mode":7}""", "'mode' is not valid");

        // A required argument given as null, then with a value, is present; with a value, then null, it is missing.
        await AssertBadRequestAsync("echo_class", """{"request":{"goal":"g"},"request":null}""", "'request' is missing");
        Assert.Equal("g", (await EchoAsync("echo_class", """{"request":null,"request":{"goal":"g"}}""")).GetProperty("goal").GetString());
    }

    [SuiteFact]
    public async Task The_client_refuses_a_reply_whose_members_break_the_result_s_nullability()
    {
        AnaRemoteException error = await Assert.ThrowsAsync<AnaRemoteException>(() => Client.BrokenAsync());
        Assert.Equal(AnaErrorCodes.BadResponse, error.Code);
        Assert.Contains("'summary'", error.Message, StringComparison.Ordinal);
    }

    private async Task<JsonElement> EchoAsync(string topic, string data)
    {
        Reply reply = await QueryAsync(topic, data);
        Assert.Null(reply.Error);
        return reply.Data!.Value;
    }

    private async Task AssertBadRequestAsync(string topic, string data, params string[] mentions)
    {
        Reply reply = await QueryAsync(topic, data);
        Assert.True(reply.Error is not null, $"{topic} {data} was accepted: {reply.Data?.GetRawText()}");
        Assert.Equal(AnaErrorCodes.BadRequest, reply.Error.Code);
        foreach (string mention in mentions)
        {
            Assert.True(reply.Error.Message.Contains(mention, StringComparison.Ordinal), $"'{mention}' is not in: {reply.Error.Message}");
        }
    }

    private async Task<Reply> QueryAsync(string topic, string data)
    {
        using JsonDocument document = JsonDocument.Parse(data);
        Reply? reply = await Caller.QueryAndWaitAsync("planner", topic, topic, Patience, document.RootElement.Clone());
        return reply ?? throw new TimeoutException($"No reply to {topic}.");
    }
}

public sealed class MemoryDefaultsAndNullsTests : DefaultsAndNullsTests
{
    protected override string Url { get; } = $"memory://dn-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsDefaultsAndNullsTests(NatsServerFixture nats) : DefaultsAndNullsTests
{
    protected override string Url => nats.Url;
}
