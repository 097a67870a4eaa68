using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests;

/// <summary>The contract, generated, served and called over each transport.</summary>
public abstract class ContractEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected abstract string Url { get; }

    protected Scheduler Implementation { get; } = new();

    protected IScheduler Client { get; private set; } = null!;

    protected AgentBus Caller { get; private set; } = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    private async Task<AgentBus> StartAsync(string? serverAuditLogPath = null)
    {
        AgentBusOptions options = new() { Url = Url, Prefix = "e2e.fleet" };
        AgentBus server = await AgentBus.ConnectAsync("sched-1", options with { AuditLogPath = serverAuditLogPath });
        _cleanup.Add(server);
        _cleanup.Add(await server.ServeAsync<IScheduler>(Implementation));
        Caller = await AgentBus.ConnectAsync("alice", options);
        _cleanup.Add(Caller);
        Client = Caller.Client<IScheduler>();
        return server;
    }

    [SuiteFact]
    public async Task Records_classes_collections_enums_and_nullables_round_trip()
    {
        await StartAsync();
        Job job = new("build", Priority.Urgent, [new Step("make", TimeSpan.FromSeconds(90), [0, 2])])
        {
            NotBefore = new DateTimeOffset(2026, 5, 14, 15, 35, 0, TimeSpan.FromHours(9)),
            Labels = new() { ["team"] = "infra", ["ü"] = "✓" },
            Owner = new Owner { Name = "dave", Email = "dave@example.com" },
        };

        JobResult result = await Client.SubmitAsync(job);

        Assert.Equal(job.Id, result.JobId);
        Assert.Equal(JobResult.JobState.Done, result.State);
        Assert.Equal(1.5, result.Score);
        Assert.Equal(
            ["make (90s, exit 0|2)", "owner=dave/dave@example.com", "labels=team=infra,ü=✓", "not_before=2026-05-14T15:35:00.0000000+09:00"],
            result.Log);
        Assert.Equal("two", result.Extra.GetProperty("k")[1].GetString());

        JobResult? found = await Client.FindAsync(job.Id);
        Assert.Equal(JobResult.JobState.Done, found!.State);
        Assert.Null(await Client.FindAsync(Guid.NewGuid()));

        Inventory all = await Client.GetInventoryAsync(null, includeEmpty: true);
        Assert.Equal(2, all.Shelves.Count);
        Assert.Null(all.Shelves["b2"].Capacity);
        Assert.Equal('x', all.Shelves["a1"].Code);
        Assert.Equal(DateTimeKind.Utc, all.TakenAt.Kind);
        Inventory filtered = await Client.GetInventoryAsync(["a1", "b2"]);
        Assert.Equal(["a1"], filtered.Shelves.Keys);
    }

    [SuiteFact]
    public async Task Topics_timeouts_completion_and_one_way()
    {
        await StartAsync();

        Assert.Equal(5_000_000_001L, await Client.AddAsync(1, 5_000_000_000L));
        await Client.PingAsync();
        Assert.Equal(1, Implementation.Pings);
        await Client.NotifyAsync("hello");
        Assert.Equal("hello", await Implementation.Notified.Task.WaitAsync(Patience));

        // The first call of a topic also subscribes to the topic's reply subject (a few round trips to the server) within
        // its 0.5 s deadline; on a loaded machine that alone can use it up, and so can a stall of the machine in any
        // later call. A quick call must succeed, but it may take a few tries on a machine that is busy elsewhere.
        Assert.Equal(1, await WithinTheDeadlineAsync(() => Client.SlowAsync(1)));
        Assert.Equal(10, await WithinTheDeadlineAsync(() => Client.SlowAsync(10)));

        // The handler would take a minute: only the 0.5 s deadline can end the call within the 30 s bound.
        AnaTimeoutException timeout = await Assert.ThrowsAsync<AnaTimeoutException>(() => Client.SlowAsync(60_000).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(0.5), timeout.Timeout);
        Assert.Equal("slow", timeout.Topic);
        Assert.True(await Implementation.SlowCancelled.Task.WaitAsync(Patience), "the implementation's token was cancelled at the deadline");

        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.SlowAsync(60_000, cts.Token));
    }

    [SuiteFact]
    public async Task Errors_are_typed_at_the_caller()
    {
        await StartAsync();

        AnaRemoteException crash = await Assert.ThrowsAsync<AnaRemoteException>(() => Client.FailAsync("crash"));
        Assert.Equal(("internal", "scheduler", "fail"), (crash.Code, crash.Agent, crash.Topic));
        Assert.DoesNotContain("hidden", crash.Message, StringComparison.Ordinal);

        AnaRemoteException custom = await Assert.ThrowsAsync<AnaRemoteException>(() => Client.FailAsync("quota"));
        Assert.Equal(("quota", "failed with quota"), (custom.Code, custom.RemoteMessage));

        AnaRemoteException nullResult = await Assert.ThrowsAsync<AnaRemoteException>(() => Client.FailAsync("null"));
        Assert.Equal("internal", nullResult.Code);

        await Assert.ThrowsAsync<AnaNoRespondersException>(() => Caller.Client<IScheduler>("scheduler-eu").PingAsync());
    }

    [SuiteFact]
    public async Task The_payload_is_snake_case_JSON_that_a_Python_peer_can_read()
    {
        await StartAsync();
        AgentBus observer = await AgentBus.ConnectAsync("observer", new AgentBusOptions { Url = Url, Prefix = "e2e.fleet" });
        _cleanup.Add(observer);
        TaskCompletionSource<Query> seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _cleanup.Add(await observer.SubscribeAsync("e2e.fleet.scheduler.query.>", (envelope, _) =>
        {
            seen.TrySetResult((Query)envelope);
            return default;
        }));

        await Client.GetInventoryAsync(["a1"], includeEmpty: true);

        Query query = await seen.Task.WaitAsync(Patience);
        Assert.Equal("scheduler", query.To);
        Assert.Equal("get_inventory", query.Text);
        Assert.Equal(5.0, query.TimeoutSeconds);
        JsonElement data = query.Data!.Value;
        Assert.Equal("a1", data.GetProperty("filter")[0].GetString());
        Assert.True(data.GetProperty("include_empty").GetBoolean());
    }

    [SuiteFact]
    public async Task Durations_decimals_dates_and_times_as_a_pydantic_peer_writes_them_are_read()
    {
        await StartAsync();

        // tests/wire/valid/query-pydantic-data.json: the query a pydantic peer sends (written by pydantic 2.13 model_dump(mode="json")).
        Query query = (Query)EnvelopeSerializer.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "wire", "valid", "query-pydantic-data.json")));
        Reply? reply = await Caller.QueryAndWaitAsync("scheduler", query.Text, "describe", Patience, query.Data);

        Assert.NotNull(reply);
        Assert.Null(reply.Error);
        Assert.Equal(
            "00:05:00|12.50|2026-12-02T10:00:00.0000000|Unspecified|2026-12-02T10:00:00.1234560+05:30|2026-12-02|09:30:00.0005000|1.01:59:58.5000000",
            reply.Data!.Value.GetString());

        // What C# writes is unchanged: the forms System.Text.Json writes, which deployed Ana peers read.
        string written = await Client.DescribeAsync(TimeSpan.FromMinutes(5), 12.50m, new DateTime(2026, 12, 2, 10, 0, 0), new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), new DateOnly(2026, 12, 2), new TimeOnly(9, 30));
        Assert.Equal("00:05:00|12.50|2026-12-02T10:00:00.0000000|Unspecified|2026-12-02T10:00:00.0000000+00:00|2026-12-02|09:30:00.0000000|none", written);
    }

    [SuiteFact]
    public async Task Garbage_in_a_duration_is_a_bad_request_not_a_crash()
    {
        await StartAsync();
        JsonElement data = JsonDocument.Parse("""{"delay":"PT5X","amount":"12.50","due":"2026-12-02","at":"2026-12-02","day":"2026-12-02","time":"09:30"}""").RootElement.Clone();

        Reply? reply = await Caller.QueryAndWaitAsync("scheduler", "describe", "describe", Patience, data);

        Assert.Equal("bad_request", reply!.Error!.Code);
        Assert.Contains("delay", reply.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await Client.AddAsync(1, 0));
    }

    [SuiteFact]
    public async Task Polymorphic_DTOs_round_trip_with_their_declared_discriminator()
    {
        await StartAsync();

        Shape scaled = await Client.ScaleAsync(new Circle(1.5) { Label = "c" }, 2);
        Assert.Equal(new Circle(3) { Label = "c" }, scaled);
        Assert.Equal(new Square(4), await Client.ScaleAsync(new Square(2), 2));
        Assert.Equal(["Circle:-", "Square:s"], await Client.NameAsync([new Circle(1), new Square(2) { Label = "s" }]));

        // On the wire: "kind" as declared, not renamed; written first; a null member written (docs/protocol.md).
        Reply? reply = await Caller.QueryAndWaitAsync("scheduler", "scale", "scale", Patience, Json("""{"shape": {"kind": "square", "side": 1}, "factor": 2}"""));
        Assert.Equal("""{"kind":"square","side":2,"label":null}""", reply!.Data!.Value.GetRawText());
    }

    [SuiteFact]
    public async Task A_discriminator_anywhere_in_the_object_is_read_as_a_pydantic_peer_writes_it()
    {
        await StartAsync();

        // Written by pydantic 2.13 (a discriminated union: the discriminator comes where its field is declared, last here).
        Reply? one = await Caller.QueryAndWaitAsync("scheduler", "scale", "scale", Patience, Json("""{"shape": {"label": "c", "radius": 1.5, "kind": "circle"}, "factor": 2.0}"""));
        Assert.Null(one!.Error);
        Assert.StartsWith("""{"kind":"circle",""", one.Data!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(3, one.Data.Value.GetProperty("radius").GetDouble());
        Assert.Equal("c", one.Data.Value.GetProperty("label").GetString());

        Reply? many = await Caller.QueryAndWaitAsync("scheduler", "name", "name", Patience, Json("""{"shapes": [{"label": null, "radius": 1.0, "kind": "circle"}, {"label": "s", "side": 2.0, "kind": "square"}]}"""));
        Assert.Null(many!.Error);
        Assert.Equal("""["Circle:-","Square:s"]""", many.Data!.Value.GetRawText());
    }

    [SuiteFact]
    public async Task An_unknown_or_missing_discriminator_is_a_bad_request()
    {
        await StartAsync();

        foreach (string data in new[]
        {
            """{"shape": {"kind": "hexagon", "side": 1}, "factor": 2}""",
            """{"shape": {"side": 1}, "factor": 2}""",
            """{"shape": {"kind": 7, "side": 1}, "factor": 2}""",
        })
        {
            Reply? reply = await Caller.QueryAndWaitAsync("scheduler", "scale", "scale", Patience, Json(data));
            Assert.Equal("bad_request", reply!.Error?.Code);
            Assert.Contains("shape", reply.Error!.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, await Client.AddAsync(1, 0));
    }

    [SuiteFact]
    public async Task An_error_reply_and_a_null_result_differ_on_the_wire()
    {
        string audit = Path.Combine(Path.GetTempPath(), $"ana-e2e-{Guid.NewGuid():N}.jsonl");
        try
        {
            AgentBus server = await StartAsync(audit);
            Assert.Null(await Client.FindAsync(Guid.NewGuid()));
            await Assert.ThrowsAsync<AnaRemoteException>(() => Client.FailAsync("quota"));
            await server.DisposeAsync();

            // The replies as the server published them (its audit log records each envelope's JSON): what an untyped peer reads.
            List<JsonElement> replies = [.. File.ReadAllLines(audit)
                .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("envelope"))
                .Where(envelope => envelope.GetProperty("type").GetString() == "reply")];
            Assert.Equal(2, replies.Count);

            // A null result carries "data": null and no "error"; an error reply carries "error" and no "data".
            JsonElement nullResult = replies.Single(r => r.GetProperty("reply_for").GetString()!.EndsWith(".find", StringComparison.Ordinal));
            JsonElement error = replies.Single(r => r.GetProperty("reply_for").GetString()!.EndsWith(".fail", StringComparison.Ordinal));
            Assert.Equal(JsonValueKind.Null, nullResult.GetProperty("data").ValueKind);
            Assert.False(nullResult.TryGetProperty("error", out _));
            Assert.False(error.TryGetProperty("data", out _));
            Assert.Equal("quota", error.GetProperty("error").GetProperty("code").GetString());
        }
        finally
        {
            File.Delete(audit);
        }
    }

    private static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static async Task<int> WithinTheDeadlineAsync(Func<Task<int>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (AnaTimeoutException) when (attempt < 5)
            {
            }
        }
    }
}

public sealed class MemoryContractEndToEndTests : ContractEndToEndTests
{
    protected override string Url { get; } = $"memory://e2e-{Guid.NewGuid():N}";
}

[Collection("nats")]
[RequiresNats]
public sealed class NatsContractEndToEndTests(NatsServerFixture nats) : ContractEndToEndTests
{
    protected override string Url => nats.Url;
}
