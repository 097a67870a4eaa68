using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;

namespace Ana.Contracts.Tests.Micro;

/// <summary>
/// A running Ana agent as the official NATS JavaScript services client (<c>@nats-io/services</c>) sees it: ping, info and
/// stats by name, by name and id and among all services, and an Ana error reply read by its <c>ServiceError</c>.
/// </summary>
[Collection("nats")]
[RequiresNats]
public sealed class JavaScriptServicesClientTests(NatsServerFixture server)
{
    [NatsFact]
    public async Task The_JavaScript_services_client_pings_lists_and_reads_the_statistics_of_an_Ana_agent()
    {
        string prefix = $"micro.{Guid.NewGuid():N}";
        string agent = $"js-stock-{Guid.NewGuid():N}";
        AgentBusOptions options = new() { Url = server.Url, Prefix = prefix, DefaultTimeout = TimeSpan.FromSeconds(30) };
        await using AgentBus bus = await AgentBus.ConnectAsync("stock-server", options);
        await using AgentSubscription serving = await bus.ServeAsync<IStock>(new Stock(), new ServeOptions { Agent = agent, Announce = false });
        await using AgentBus caller = await AgentBus.ConnectAsync("buyer", options);
        IStock stock = caller.Client<IStock>(agent);
        Assert.Equal(5, await stock.LevelAsync("apple"));
        Assert.Equal(4, await stock.LevelAsync("pear"));

        string query = $$"""{"type": "query", "from": "js", "to": "{{agent}}", "query": "refuse", "request_id": "js1", "data": {}, "ts": "2026-12-02T10:00:00Z"}""";
        JsonElement seen = await JavaScriptServicesClient.RunAsync(server.Url, agent, $"{prefix}.{agent}.query.refuse", query);

        JsonElement ping = Assert.Single(seen.GetProperty("ping").EnumerateArray());
        string id = ping.GetProperty("id").GetString()!;
        Assert.Equal("io.nats.micro.v1.ping_response", ping.GetProperty("type").GetString());
        Assert.Equal(agent, ping.GetProperty("name").GetString());
        Assert.Equal("1.2.0-beta.1+abc123", ping.GetProperty("version").GetString());
        Assert.Equal(id, Assert.Single(seen.GetProperty("pingInstance").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(id, Assert.Single(seen.GetProperty("pingAll").EnumerateArray()).GetProperty("id").GetString());

        foreach (string form in new[] { "info", "infoInstance", "infoAll" })
        {
            JsonElement info = Assert.Single(seen.GetProperty(form).EnumerateArray());
            Assert.Equal("io.nats.micro.v1.info_response", info.GetProperty("type").GetString());
            Assert.Equal(id, info.GetProperty("id").GetString());
            Assert.Equal(
                ["level", "orders_place", "refuse", "note"],
                info.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
            JsonElement place = MicroResponse.Endpoint(info, "orders_place");
            Assert.Equal($"{prefix}.{agent}.query.orders.place", place.GetProperty("subject").GetString());
            Assert.Equal(agent, place.GetProperty("queue_group").GetString());
            Assert.Equal("Task<string> PlaceAsync(string item, int quantity = 1)", place.GetProperty("metadata").GetProperty("ana.signature").GetString());
            using JsonDocument schema = JsonDocument.Parse(place.GetProperty("metadata").GetProperty("ana.arguments_schema").GetString()!);
            Assert.Equal("integer", schema.RootElement.GetProperty("properties").GetProperty("quantity").GetProperty("type").GetString());
        }

        JsonElement stats = Assert.Single(seen.GetProperty("stats").EnumerateArray());
        Assert.Equal("io.nats.micro.v1.stats_response", stats.GetProperty("type").GetString());
        Assert.True(DateTimeOffset.TryParse(stats.GetProperty("started").GetString(), out _));
        JsonElement level = MicroResponse.Endpoint(stats, "level");
        Assert.Equal(2, level.GetProperty("num_requests").GetInt64());
        Assert.True(level.GetProperty("processing_time").GetInt64() > 0);

        JsonElement error = seen.GetProperty("error");
        Assert.True(error.GetProperty("isServiceError").GetBoolean());
        Assert.Equal(500, error.GetProperty("code").GetInt32());
        Assert.Equal("Not you.", error.GetProperty("message").GetString());
        Assert.Equal("forbidden", error.GetProperty("envelope").GetProperty("error").GetProperty("code").GetString());

        JsonElement refuse = MicroResponse.Endpoint(Assert.Single(seen.GetProperty("statsAfterError").EnumerateArray()), "refuse");
        Assert.Equal((1L, 1L), (refuse.GetProperty("num_requests").GetInt64(), refuse.GetProperty("num_errors").GetInt64()));
        Assert.Equal("forbidden: Not you.", refuse.GetProperty("last_error").GetString());
    }
}
