using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Xunit.Abstractions;

namespace Ana.Package.Tests;

/// <summary>
/// Publishes samples/HostedAgents (the Generic Host, Ana.Contracts.Hosting, health checks, OpenTelemetry's console
/// exporter) with NativeAOT, runs it against a real nats-server, calls its greeter from outside, waits for its own calls
/// and its health report, and stops it with SIGTERM as a service manager would: it drains and exits 0. Reports the
/// size, the time to the first answer and the working set (docs/aot.md). Runs only with <c>ANA_AOT_TESTS=1</c>.
/// </summary>
[Trait("Category", "Aot")]
public sealed class NativeAotHostedAgentsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [NativeAotFact]
    public async Task The_published_HostedAgents_serves_calls_reports_its_health_and_stops_on_SIGTERM()
    {
        NativeAotSample hostedAgents = await NativeAotSample.PublishAsync("HostedAgents", output);
        await using NatsServer server = await NatsServer.StartAsync();
        await using AgentBus prober = await AgentBus.ConnectAsync("aot-prober", new AgentBusOptions { Url = server.Url });
        TimeSpan aot = await RunAsync("NativeAOT", hostedAgents.Binary, [], server.Url, prober);

        if (hostedAgents.JitBuild is { } jitBuild)
        {
            TimeSpan jit = await RunAsync("JIT", DotNetHost.Path, [jitBuild], server.Url, prober);
            output.WriteLine($"NativeAOT answers {jit.TotalMilliseconds / aot.TotalMilliseconds:0.0}x sooner than the JIT build");
        }
    }

    private async Task<TimeSpan> RunAsync(string label, string fileName, string[] leadingArgs, string url, AgentBus prober)
    {
        JsonElement data = JsonDocument.Parse("""{"name":"the prober"}""").RootElement.Clone();
        Stopwatch sinceStart = Stopwatch.StartNew();
        await using ChildProcess host = ChildProcess.Start(new ProcessStartInfo(fileName, [.. leadingArgs, "--nats", url, "--forever"]));

        // The greeter's answer passed through the clock, served by the same host.
        Reply reply = await NativeAotSample.FirstAnswerAsync(host, prober, "greeter", "greet", data);
        TimeSpan firstAnswer = sinceStart.Elapsed;
        Assert.StartsWith("hello the prober (asked by aot-prober), it is ", reply.Data!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);

        await host.WaitForStdoutAsync(line => line.StartsWith("greeter -> hello visitor #2 (asked by hosted-1)", StringComparison.Ordinal), Patience);
        await host.WaitForStdoutAsync(line => line.StartsWith("served clock/now for hosted-1 in ", StringComparison.Ordinal), Patience);
        await host.WaitForStdoutAsync(line => line == "health: Healthy (ana: The agent bus 'hosted-1' is connected and serving.)", Patience);
        long workingSet = host.WorkingSetBytes;

        host.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await host.WaitForExitAsync(Patience));
        output.WriteLine(
            $"{label}: process start -> first answered greeting {firstAnswer.TotalMilliseconds:0} ms; working set after its calls {workingSet / 1024.0 / 1024.0:0.0} MiB; " +
            "health printed Healthy; SIGTERM -> drained, exit code 0");
        return firstAnswer;
    }
}
