using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json;
using Ana.Contracts.Net8Library;

namespace Ana.Contracts.Tests;

/// <summary>
/// A contract library built for net8.0 that runs on whatever runtime the test runs on: on the net10.0 run, that is the
/// deployment the per-framework runs never exercise (a library compiled against .NET 8 on the .NET 10 runtime), where the
/// generated [UnsafeAccessor] setters and constructors must still keep declared defaults.
/// </summary>
public sealed class Net8LibraryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_contract_library_built_for_net8_keeps_declared_defaults_on_this_runtime()
    {
        Assert.Equal(".NETCoreApp,Version=v8.0", typeof(ILegacyPlanner).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
#if NET10_0_OR_GREATER
        Assert.True(Environment.Version.Major >= 10, $"The net10.0 run is on .NET {Environment.Version}.");
#endif

        AgentBusOptions options = new() { Url = $"memory://net8lib-{Guid.NewGuid():N}", Prefix = "n8.fleet" };
        await using AgentBus server = await AgentBus.ConnectAsync("legacy-1", options);
        await using AgentSubscription serving = await server.ServeAsync<ILegacyPlanner>(new LegacyPlanner());
        await using AgentBus caller = await AgentBus.ConnectAsync("alice", options);

        Assert.Equal("""{"goal":"g","urgency":"normal","constraints":[]}""", await EchoAsync(caller, "echo_class", """{"request":{"goal":"g"}}"""));
        Assert.Equal("""{"goal":"g","steps":4,"owner":"nobody"}""", await EchoAsync(caller, "echo_record", """{"plan":{"goal":"g"}}"""));
        Assert.Equal("""{"name":"w","hours":8}""", await EchoAsync(caller, "echo_struct", """{"window":{"name":"w"}}"""));
        Assert.Equal("""{"items":[{"goal":"g","steps":4,"owner":"nobody"}],"size":50}""", await EchoAsync(caller, "echo_batch", """{"batch":{"items":[{"goal":"g"}]}}"""));

        // Required and non-nullable members are still enforced.
        Assert.Equal(AnaErrorCodes.BadRequest, (await QueryAsync(caller, "echo_class", """{"request":{}}""")).Error?.Code);
        Assert.Equal(AnaErrorCodes.BadRequest, (await QueryAsync(caller, "echo_struct", """{"window":{"hours":1}}""")).Error?.Code);
        Assert.Equal(AnaErrorCodes.BadRequest, (await QueryAsync(caller, "echo_record", """{"plan":{"goal":"g","owner":null}}""")).Error?.Code);

        // The typed client round-trips every member.
        ILegacyPlanner client = caller.Client<ILegacyPlanner>();
        LegacyWindow window = await client.EchoStructAsync(new LegacyWindow { Name = "w", Hours = 0 });
        Assert.Equal(("w", 0), (window.Name, window.Hours));
    }

    private static async Task<string> EchoAsync(AgentBus caller, string topic, string data)
    {
        Reply reply = await QueryAsync(caller, topic, data);
        Assert.Null(reply.Error);
        return reply.Data!.Value.GetRawText();
    }

    private static async Task<Reply> QueryAsync(AgentBus caller, string topic, string data)
    {
        using JsonDocument document = JsonDocument.Parse(data);
        Reply? reply = await caller.QueryAndWaitAsync("legacy-planner", topic, topic, Patience, document.RootElement.Clone());
        return reply ?? throw new TimeoutException($"No reply to {topic}.");
    }
}
