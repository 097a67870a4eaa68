using System.Text.Json;
using Ana.Contracts;
using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Micro;

/// <summary>
/// On <c>memory://</c> a served contract answers the NATS micro subjects as on nats-server (the NATS side, with the
/// official clients, is tests/Ana.Contracts.Tests/Micro), so that a bot tested in-process is discoverable the same way.
/// </summary>
public sealed class MemoryMicroDiscoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _url = $"memory://micro-{Guid.NewGuid():N}";
    private readonly List<IAsyncDisposable> _cleanup = [];
    private MemoryTransport _raw = null!;

    public Task InitializeAsync()
    {
        _raw = new MemoryTransport(_url["memory://".Length..]);
        _cleanup.Add(_raw);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Ping_info_and_stats_answer_on_memory_with_the_endpoints_and_their_statistics()
    {
        AgentBus server = await ConnectAsync("greeter-1");
        _cleanup.Add(await server.ServeAsync<IGreeter>(new Greeter(), new ServeOptions { Agent = "greeter@eu", Announce = false }));

        JsonElement ping = await RequestAsync("$SRV.PING.greeter_eu");
        Assert.Equal("io.nats.micro.v1.ping_response", ping.GetProperty("type").GetString());
        Assert.Equal("greeter_eu", ping.GetProperty("name").GetString());
        Assert.Equal("3.0.0", ping.GetProperty("version").GetString());
        Assert.Equal("greeter@eu", ping.GetProperty("metadata").GetProperty("ana.agent").GetString());
        string id = ping.GetProperty("id").GetString()!;
        Assert.Equal(id, (await RequestAsync("$SRV.PING")).GetProperty("id").GetString());
        Assert.Equal(id, (await RequestAsync($"$SRV.PING.greeter_eu.{id}")).GetProperty("id").GetString());

        JsonElement info = await RequestAsync($"$SRV.INFO.greeter_eu.{id}");
        Assert.Equal("io.nats.micro.v1.info_response", info.GetProperty("type").GetString());
        Assert.Equal(["greet_all", "default", "fail"], info.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        JsonElement greet = info.GetProperty("endpoints")[0];
        Assert.Equal("mem.greeter@eu.query.greet.all", greet.GetProperty("subject").GetString());
        Assert.Equal("greeter@eu", greet.GetProperty("queue_group").GetString());
        Assert.Equal("Task GreetAllAsync()", greet.GetProperty("metadata").GetProperty("ana.signature").GetString());

        AgentBus caller = await ConnectAsync("caller");
        Assert.Null((await caller.QueryAndWaitAsync("greeter@eu", "hi", "greet.all"))!.Error);
        Assert.Null((await caller.QueryAndWaitAsync("greeter@eu", "hi", "greet.all"))!.Error);
        Assert.Equal(AnaErrorCodes.BadRequest, (await caller.QueryAndWaitAsync("greeter@eu", "hi", "fail"))!.Error!.Code);
        Assert.Equal(AnaErrorCodes.NotFound, (await caller.QueryAndWaitAsync("greeter@eu", "hi", "nowhere"))!.Error!.Code);

        JsonElement stats = await StatsUntilAsync("$SRV.STATS.greeter_eu", s => Endpoint(s, "fail").GetProperty("num_requests").GetInt64() == 1
            && Endpoint(s, "greet_all").GetProperty("num_requests").GetInt64() == 2);
        Assert.Equal("io.nats.micro.v1.stats_response", stats.GetProperty("type").GetString());
        Assert.True(DateTimeOffset.TryParse(stats.GetProperty("started").GetString(), out _));
        Assert.Equal(0, Endpoint(stats, "greet_all").GetProperty("num_errors").GetInt64());
        Assert.Equal(1, Endpoint(stats, "fail").GetProperty("num_errors").GetInt64());
        Assert.Equal("bad_request: No.", Endpoint(stats, "fail").GetProperty("last_error").GetString());
        Assert.Equal(0, Endpoint(stats, "default").GetProperty("num_requests").GetInt64());
    }

    [Fact]
    public async Task An_error_reply_on_memory_carries_the_service_error_headers()
    {
        AgentBus server = await ConnectAsync("greeter-1");
        _cleanup.Add(await server.ServeAsync<IGreeter>(new Greeter(), new ServeOptions { Announce = false }));

        TransportMessage reply = await RawRequestAsync(
            "mem.greeter.query.fail",
            """{"type": "query", "from": "raw", "to": "greeter", "query": "q", "request_id": "r1", "data": {}, "ts": "2026-12-02T10:00:00Z"}"""u8.ToArray());
        Assert.Equal("No.", (string?)reply.Headers!["Nats-Service-Error"]);
        Assert.Equal("400", (string?)reply.Headers!["Nats-Service-Error-Code"]);
    }

    [Theory]
    [InlineData("bad_request", "400")]
    [InlineData("permission_denied", "403")]
    [InlineData("not_found", "404")]
    [InlineData("timeout", "408")]
    [InlineData("cancelled", "499")]
    [InlineData("unavailable", "503")]
    [InlineData("internal", "500")]
    [InlineData("forbidden", "500")]
    public void Error_codes_map_to_numeric_service_error_codes(string code, string numeric)
        => Assert.Equal(numeric, Ana.Micro.ServiceErrorHeaders.NumericCode(code));

    private static JsonElement Endpoint(JsonElement response, string name)
        => Assert.Single(response.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("name").GetString() == name);

    private async Task<JsonElement> StatsUntilAsync(string subject, Func<JsonElement, bool> done)
    {
        using CancellationTokenSource guard = new(Patience);
        while (true)
        {
            JsonElement stats = await RequestAsync(subject);
            if (done(stats))
            {
                return stats;
            }

            await Task.Delay(20, guard.Token);
        }
    }

    private async Task<JsonElement> RequestAsync(string subject)
    {
        TransportMessage reply = await RawRequestAsync(subject, []);
        return JsonDocument.Parse(reply.Payload).RootElement.Clone();
    }

    private async Task<TransportMessage> RawRequestAsync(string subject, byte[] payload)
    {
        string inbox = _raw.NewInboxPrefix();
        TaskCompletionSource<TransportMessage> received = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ITransportSubscription subscription = await _raw.SubscribeAsync(inbox, null, message =>
        {
            received.TrySetResult(message with { Payload = message.Payload.ToArray() });
            return default;
        }, CancellationToken.None);
        await _raw.PublishAsync(subject, inbox, null, payload, CancellationToken.None);
        TransportMessage reply = await received.Task.WaitAsync(Patience);
        Assert.False(reply.IsNoResponders, $"nobody answers {subject}");
        return reply;
    }

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = _url, Prefix = "mem", DefaultTimeout = Patience });
        _cleanup.Add(bus);
        return bus;
    }
}
