using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Xunit.Abstractions;

namespace Ana.Package.Tests;

/// <summary>
/// Publishes samples/EchoBot with NativeAOT for linux-x64, starts it against a real nats-server and probes it from the
/// runtime: reports the binary size and the time from process start to the first answered query (docs/aot.md); then
/// probes it once more with the <c>ana</c> CLI, as the README tells a user to.
/// The publish takes over a minute, so it runs only with <c>ANA_AOT_TESTS=1</c> (build.sh aot sets it).
/// </summary>
[Trait("Category", "Aot")]
public sealed class NativeAotEchoBotTests(ITestOutputHelper output)
{
    [NativeAotFact]
    public async Task The_published_EchoBot_answers_its_first_query()
    {
        string repo = SamplePaths.Repository;
        NativeAotSample echoBot = await NativeAotSample.PublishAsync("EchoBot", output);

        await using NatsServer server = await NatsServer.StartAsync();
        await using AgentBus prober = await AgentBus.ConnectAsync("aot-prober", new AgentBusOptions { Url = server.Url });
        TimeSpan aot = await MeasureAsync("NativeAOT", echoBot.Binary, [], server.Url, prober, whileServing: () => ProbeWithCliAsync(repo, server.Url));

        // For comparison, the same bot on the JIT (framework-dependent build, as `dotnet run` makes it), when built.
        if (echoBot.JitBuild is { } jitBuild)
        {
            TimeSpan jit = await MeasureAsync("JIT", DotNetHost.Path, [jitBuild], server.Url, prober);
            output.WriteLine($"NativeAOT starts {jit.TotalMilliseconds / aot.TotalMilliseconds:0.0}x faster than the JIT build");
        }
    }

    private async Task<TimeSpan> MeasureAsync(string label, string fileName, string[] leadingArgs, string url, AgentBus prober, Func<Task>? whileServing = null)
    {
        JsonElement data = JsonDocument.Parse("""{"text":"ping"}""").RootElement.Clone();
        Stopwatch sinceStart = Stopwatch.StartNew();
        await using ChildProcess bot = ChildProcess.Start(new ProcessStartInfo(fileName, [.. leadingArgs, "--nats", url]));
        Reply reply = await NativeAotSample.FirstAnswerAsync(bot, prober, "echo", "echo", data);
        TimeSpan firstAnswer = sinceStart.Elapsed;
        Assert.Equal("ping", reply.Data!.Value.GetProperty("text").GetString());

        Stopwatch warm = Stopwatch.StartNew();
        const int Calls = 200;
        for (int i = 0; i < Calls; i++)
        {
            Assert.NotNull(await prober.QueryAndWaitAsync("echo", "ping", "echo", TimeSpan.FromSeconds(5), data));
        }

        TimeSpan warmCalls = warm.Elapsed;
        if (whileServing is not null)
        {
            await whileServing();
        }

        output.WriteLine(
            $"{label}: process start -> first answered query {firstAnswer.TotalMilliseconds:0} ms; then {warmCalls.TotalMilliseconds / Calls:0.00} ms per call " +
            $"({Calls} sequential calls); working set {bot.WorkingSetBytes / 1024.0 / 1024.0:0.0} MiB");
        return firstAnswer;
    }

    /// <summary><c>ana probe echo</c> with the CLI the solution built: exit code 0 and the echoed text on stdout.</summary>
    private async Task ProbeWithCliAsync(string repo, string url)
    {
        string cli = Path.Combine(repo, "src", "Ana.Cli", "bin", "Release", "net10.0", "Ana.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: build the solution (Release) first.");
        ProcessResult probe = await DotNet.RunAsync(
            repo, TimeSpan.FromMinutes(1),
            cli, "--nats", url, "--identity", "aot-cli-prober", "probe", "echo", "--query", "ping", "--topic", "echo",
            "--data", """{"text":"from the ana CLI"}""", "--timeout", "5");
        probe.EnsureSuccess("ana probe echo");
        Assert.Contains("from the ana CLI", probe.Output, StringComparison.Ordinal);
        output.WriteLine($"ana probe echo (the CLI, against the NativeAOT EchoBot): exit code 0, {probe.Output.Trim()}");
    }
}
