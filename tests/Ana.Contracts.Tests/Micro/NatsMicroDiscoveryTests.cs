using System.Reflection;
using System.Text;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.Services.Models;

namespace Ana.Contracts.Tests.Micro;

/// <summary>
/// A served contract as a NATS micro service (ADR-32), asked over a plain NATS connection: the three verbs on their
/// three subjects, the response shapes (checked field by field and read with NATS.Client.Services' models), the
/// statistics of real calls, the error headers, the version, the opt-out and the <c>max_payload</c> fallback.
/// </summary>
[Collection("nats")]
[RequiresNats]
public sealed class NatsMicroDiscoveryTests(NatsServerFixture server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _prefix = $"micro.{Guid.NewGuid():N}";
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private NatsConnection _nats = null!;

    public async Task InitializeAsync()
    {
        _nats = new NatsConnection(new NatsOpts { Url = server.Url });
        await _nats.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        await _nats.DisposeAsync();
    }

    [NatsFact]
    public async Task Ping_info_and_stats_answer_on_each_of_their_subjects_with_the_ADR_32_shapes()
    {
        string agent = $"stock@eu-{_suffix}";
        string service = $"stock_eu-{_suffix}";
        AgentBus bus = await ConnectAsync("stock-server");
        _cleanup.Add(await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = agent, Announce = false }));

        JsonElement ping = await MicroResponse.RequestAsync(_nats, $"$SRV.PING.{service}");
        MicroResponse.AssertCommon(ping, "io.nats.micro.v1.ping_response");
        string id = ping.GetProperty("id").GetString()!;
        Assert.Equal(service, ping.GetProperty("name").GetString());
        Assert.Equal("1.2.0-beta.1+abc123", ping.GetProperty("version").GetString());
        Assert.Equal(agent, ping.GetProperty("metadata").GetProperty("ana.agent").GetString());
        Assert.Equal(_prefix, ping.GetProperty("metadata").GetProperty("ana.prefix").GetString());
        Assert.Equal("Ana.Contracts.Tests.Micro.IStock", ping.GetProperty("metadata").GetProperty("ana.contract").GetString());
        Assert.Equal(id, (await MicroResponse.RequestAsync(_nats, $"$SRV.PING.{service}.{id}")).GetProperty("id").GetString());

        PingResponse pingModel = MicroResponse.Read<PingResponse>(ping);
        Assert.Equal((service, id, "1.2.0-beta.1+abc123"), (pingModel.Name, pingModel.Id, pingModel.Version));

        foreach (string subject in new[] { $"$SRV.INFO.{service}", $"$SRV.INFO.{service}.{id}" })
        {
            JsonElement info = await MicroResponse.RequestAsync(_nats, subject);
            MicroResponse.AssertInfo(info);
            Assert.Equal(id, info.GetProperty("id").GetString());
            Assert.Equal(
                ["level", "orders_place", "refuse", "note"],
                info.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("name").GetString()));

            JsonElement place = MicroResponse.Endpoint(info, "orders_place");
            Assert.Equal($"{_prefix}.{agent}.query.orders.place", place.GetProperty("subject").GetString());
            Assert.Equal(agent, place.GetProperty("queue_group").GetString());
            JsonElement metadata = place.GetProperty("metadata");
            Assert.Equal("Ana.Contracts.Tests.Micro.IStock", metadata.GetProperty("ana.contract").GetString());
            Assert.Equal("orders.place", metadata.GetProperty("ana.topic").GetString());
            Assert.Equal("Task<string> PlaceAsync(string item, int quantity = 1)", metadata.GetProperty("ana.signature").GetString());
            using (JsonDocument arguments = JsonDocument.Parse(metadata.GetProperty("ana.arguments_schema").GetString()!))
            {
                Assert.Equal("https://json-schema.org/draft/2020-12/schema", arguments.RootElement.GetProperty("$schema").GetString());
                Assert.Equal(["item", "quantity"], arguments.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name));
                Assert.Equal(["item"], arguments.RootElement.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
            }

            using (JsonDocument result = JsonDocument.Parse(metadata.GetProperty("ana.result_schema").GetString()!))
            {
                Assert.Equal("string", result.RootElement.GetProperty("type").GetString());
            }

            Assert.False(MicroResponse.Endpoint(info, "note").GetProperty("metadata").TryGetProperty("ana.result_schema", out _));
            Assert.Equal(
                "Task<int> LevelAsync(string item, CancellationToken cancellationToken = default)",
                MicroResponse.Endpoint(info, "level").GetProperty("metadata").GetProperty("ana.signature").GetString());

            InfoResponse model = MicroResponse.Read<InfoResponse>(info);
            Assert.Equal(service, model.Name);
            Assert.False(string.IsNullOrEmpty(model.Description));
            Assert.Equal(4, model.Endpoints.Count);
            EndpointInfo placeModel = Assert.Single(model.Endpoints, e => e.Name == "orders_place");
            Assert.Equal((agent, "orders.place"), (placeModel.QueueGroup, placeModel.Metadata["ana.topic"]));
        }

        foreach (string subject in new[] { $"$SRV.STATS.{service}", $"$SRV.STATS.{service}.{id}" })
        {
            JsonElement stats = await MicroResponse.RequestAsync(_nats, subject);
            MicroResponse.AssertStats(stats);
            Assert.Equal(id, stats.GetProperty("id").GetString());
            StatsResponse model = MicroResponse.Read<StatsResponse>(stats);
            Assert.Equal(4, model.Endpoints.Count);
            Assert.All(model.Endpoints, e => Assert.Equal((0L, 0L, string.Empty), ((long)e.NumRequests, (long)e.NumErrors, e.LastError)));
        }
    }

    [NatsFact]
    public async Task Statistics_are_the_counts_and_times_of_the_served_calls_and_their_errors()
    {
        string agent = $"stock-{_suffix}";
        AgentBus bus = await ConnectAsync("stock-server");
        Stock stock = new();
        _cleanup.Add(await bus.ServeAsync<IStock>(stock, new ServeOptions { Agent = agent, Announce = false }));
        IStock client = (await ConnectAsync("buyer")).Client<IStock>(agent);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(5, await client.LevelAsync("apple"));
        }

        Assert.Equal("2 x pear", await client.PlaceAsync("pear", 2));
        await Assert.ThrowsAsync<AnaRemoteException>(client.RefuseAsync);
        await client.NoteAsync("hello");
        Assert.Equal("hello", await stock.Noted.WaitAsync(Patience));

        // A served call is counted once its reply is sent, which may be just after the caller has it.
        JsonElement stats = await StatsUntilAsync(agent, s => Requests(s, "note") == 1 && Requests(s, "refuse") == 1 && Requests(s, "level") == 3);
        MicroResponse.AssertStats(stats);
        JsonElement level = MicroResponse.Endpoint(stats, "level");
        Assert.Equal(0, level.GetProperty("num_errors").GetInt64());
        Assert.Equal(string.Empty, level.GetProperty("last_error").GetString());
        long processing = level.GetProperty("processing_time").GetInt64();
        Assert.True(processing > 0);
        Assert.Equal(processing / 3, level.GetProperty("average_processing_time").GetInt64());
        Assert.Equal(1, Requests(stats, "orders_place"));

        JsonElement refuse = MicroResponse.Endpoint(stats, "refuse");
        Assert.Equal(1, refuse.GetProperty("num_errors").GetInt64());
        Assert.Equal("forbidden: Not you.", refuse.GetProperty("last_error").GetString());

        StatsResponse model = MicroResponse.Read<StatsResponse>(stats);
        EndpointStats refuseModel = Assert.Single(model.Endpoints, e => e.Name == "refuse");
        Assert.Equal((1L, 1L, "forbidden: Not you."), ((long)refuseModel.NumRequests, (long)refuseModel.NumErrors, refuseModel.LastError));
    }

    [NatsFact]
    public async Task An_error_reply_carries_the_service_error_headers_next_to_the_envelope_error()
    {
        string agent = $"stock-{_suffix}";
        AgentBus bus = await ConnectAsync("stock-server");
        _cleanup.Add(await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = agent, Announce = false }));

        NatsMsg<byte[]> refused = await RawQueryAsync($"{_prefix}.{agent}.query.refuse", data: "{}");
        Assert.Equal("Not you.", (string?)refused.Headers!["Nats-Service-Error"]);
        Assert.Equal("500", (string?)refused.Headers!["Nats-Service-Error-Code"]);
        Assert.Equal("forbidden", JsonDocument.Parse(refused.Data!).RootElement.GetProperty("error").GetProperty("code").GetString());

        NatsMsg<byte[]> badRequest = await RawQueryAsync($"{_prefix}.{agent}.query.level", data: """{"item": 5}""");
        Assert.Equal("400", (string?)badRequest.Headers!["Nats-Service-Error-Code"]);
        Assert.Equal("bad_request", JsonDocument.Parse(badRequest.Data!).RootElement.GetProperty("error").GetProperty("code").GetString());

        NatsMsg<byte[]> success = await RawQueryAsync($"{_prefix}.{agent}.query.level", data: """{"item": "fig"}""");
        Assert.False(success.Headers?.ContainsKey("Nats-Service-Error") ?? false);
    }

    [NatsFact]
    public async Task Without_discovery_nothing_answers_and_error_replies_carry_no_service_headers()
    {
        string agent = $"stock-{_suffix}";
        AgentBus bus = await ConnectAsync("stock-server", microDiscovery: false);
        _cleanup.Add(await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = agent, Announce = false }));

        await Assert.ThrowsAsync<NatsNoRespondersException>(() => MicroResponse.RequestAsync(_nats, $"$SRV.PING.{agent}"));
        NatsMsg<byte[]> refused = await RawQueryAsync($"{_prefix}.{agent}.query.refuse", data: "{}");
        Assert.False(refused.Headers?.ContainsKey("Nats-Service-Error") ?? false);
        Assert.Equal("forbidden", JsonDocument.Parse(refused.Data!).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [NatsFact]
    public async Task A_disposed_or_drained_subscription_stops_answering()
    {
        AgentBus bus = await ConnectAsync("stock-server");
        AgentSubscription disposed = await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = $"gone-{_suffix}", Announce = false });
        AgentSubscription drained = await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = $"drained-{_suffix}", Announce = false });
        await MicroResponse.RequestAsync(_nats, $"$SRV.PING.gone-{_suffix}");
        await MicroResponse.RequestAsync(_nats, $"$SRV.PING.drained-{_suffix}");

        await disposed.DisposeAsync();
        await drained.DrainAsync(Patience);

        await Assert.ThrowsAsync<NatsNoRespondersException>(() => MicroResponse.RequestAsync(_nats, $"$SRV.PING.gone-{_suffix}"));
        await Assert.ThrowsAsync<NatsNoRespondersException>(() => MicroResponse.RequestAsync(_nats, $"$SRV.PING.drained-{_suffix}"));
    }

    [NatsFact]
    public async Task Without_a_declared_version_the_contract_assembly_version_is_shown_and_the_bare_subject_counts_as_default()
    {
        string agent = $"plain-{_suffix}";
        AgentBus bus = await ConnectAsync("plain-server");
        _cleanup.Add(await bus.ServeAsync<IPlain>(new Plain(), new ServeOptions { Agent = agent, Announce = false }));

        JsonElement info = await MicroResponse.RequestAsync(_nats, $"$SRV.INFO.{agent}");
        MicroResponse.AssertInfo(info);
        string informational = typeof(IPlain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Matches(MicroResponse.SemanticVersion(), informational);
        Assert.Equal(informational, info.GetProperty("version").GetString());
        Assert.Equal($"{_prefix}.{agent}.query.default", MicroResponse.Endpoint(info, "default").GetProperty("subject").GetString());

        NatsMsg<byte[]> bare = await RawQueryAsync($"{_prefix}.{agent}.query", data: "{}");
        Assert.Equal("plain", JsonDocument.Parse(bare.Data!).RootElement.GetProperty("data").GetString());
        await StatsUntilAsync(agent, s => Requests(s, "default") == 1);
    }

    [NatsFact]
    public async Task A_declared_version_that_is_not_semantic_is_refused_unless_discovery_is_off()
    {
        AgentBus bus = await ConnectAsync("bad-server");
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await bus.ServeAsync<IBadVersion>(new BadVersion(), new ServeOptions { Agent = $"bad-{_suffix}", Announce = false }));
        Assert.Contains("\"1.2\"", refused.Message);
        Assert.Contains("MicroDiscovery", refused.Message);

        AgentBus quiet = await ConnectAsync("bad-server", microDiscovery: false);
        _cleanup.Add(await quiet.ServeAsync<IBadVersion>(new BadVersion(), new ServeOptions { Agent = $"bad-{_suffix}", Announce = false }));
        await quiet.Client<IBadVersion>($"bad-{_suffix}").PingAsync();
    }

    [OwnNatsServerFact]
    public async Task An_info_larger_than_max_payload_leaves_the_schemas_out_then_the_endpoint_metadata()
    {
        AgentBus large = await ConnectAsync("stock-server");
        _cleanup.Add(await large.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = $"stock-{_suffix}", Announce = false }));
        NatsMsg<byte[]> full = await _nats.RequestAsync<byte[], byte[]>($"$SRV.INFO.stock-{_suffix}", [], replyOpts: new NatsSubOpts { Timeout = Patience });

        // The same response without the schemas, as the bus would write it, and the note it then adds.
        System.Text.Json.Nodes.JsonNode withoutSchemas = System.Text.Json.Nodes.JsonNode.Parse(full.Data)!;
        foreach (System.Text.Json.Nodes.JsonNode? endpoint in withoutSchemas["endpoints"]!.AsArray())
        {
            System.Text.Json.Nodes.JsonObject metadata = endpoint!["metadata"]!.AsObject();
            metadata.Remove("ana.arguments_schema");
            metadata.Remove("ana.result_schema");
        }

        int withoutSchemasBytes = Encoding.UTF8.GetByteCount(withoutSchemas.ToJsonString()) + "\"ana.metadata_omitted\":\"schemas\",".Length;
        Assert.True(full.Data!.Length > withoutSchemasBytes + 200, $"the full INFO has {full.Data.Length} bytes, {withoutSchemasBytes} without schemas");
        Assert.True(withoutSchemasBytes > 1400, $"{withoutSchemasBytes} bytes without schemas");

        foreach ((int maxPayload, string omitted) in new[] { (withoutSchemasBytes + 16, "schemas"), (1400, "endpoints") })
        {
            string directory = Directory.CreateTempSubdirectory("ana-micro-").FullName;
            try
            {
                await using NatsServer small = await NatsServer.StartWithConfigAsync($"max_payload: {maxPayload}", directory);
                await using AgentBus bus = await AgentBus.ConnectAsync("stock-server", new AgentBusOptions { Url = small.Url, Prefix = _prefix });
                await using AgentSubscription serving = await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = $"stock-{_suffix}", Announce = false });
                await using NatsConnection nats = new(new NatsOpts { Url = small.Url });

                JsonElement info = await MicroResponse.RequestAsync(nats, $"$SRV.INFO.stock-{_suffix}");
                MicroResponse.AssertInfo(info);
                Assert.Equal(omitted, info.GetProperty("metadata").GetProperty("ana.metadata_omitted").GetString());
                Assert.Equal(4, info.GetProperty("endpoints").GetArrayLength());
                Assert.Equal(4, MicroResponse.Read<InfoResponse>(info).Endpoints.Count);
                if (omitted == "schemas")
                {
                    JsonElement place = MicroResponse.Endpoint(info, "orders_place").GetProperty("metadata");
                    Assert.Equal("Task<string> PlaceAsync(string item, int quantity = 1)", place.GetProperty("ana.signature").GetString());
                    Assert.False(place.TryGetProperty("ana.arguments_schema", out _));
                }
                else
                {
                    Assert.All(info.GetProperty("endpoints").EnumerateArray(), e => Assert.False(e.TryGetProperty("metadata", out _)));
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static long Requests(JsonElement stats, string endpoint) => MicroResponse.Endpoint(stats, endpoint).GetProperty("num_requests").GetInt64();

    private async Task<JsonElement> StatsUntilAsync(string service, Func<JsonElement, bool> done)
    {
        using CancellationTokenSource guard = new(Patience);
        while (true)
        {
            JsonElement stats = await MicroResponse.RequestAsync(_nats, $"$SRV.STATS.{service}");
            if (done(stats))
            {
                return stats;
            }

            await Task.Delay(20, guard.Token);
        }
    }

    private async Task<NatsMsg<byte[]>> RawQueryAsync(string subject, string data)
    {
        string envelope = $$"""{"type": "query", "from": "raw", "to": "x", "query": "q", "request_id": "r1", "data": {{data}}, "ts": "2026-12-02T10:00:00Z"}""";
        return await _nats.RequestAsync<byte[], byte[]>(subject, Encoding.UTF8.GetBytes(envelope), replyOpts: new NatsSubOpts { Timeout = Patience });
    }

    private async Task<AgentBus> ConnectAsync(string identity, bool microDiscovery = true)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions
        {
            Url = server.Url,
            Prefix = _prefix,
            MicroDiscovery = microDiscovery,
            DefaultTimeout = Patience,
        });
        _cleanup.Add(bus);
        return bus;
    }
}
