using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Ana.Cli.Tests.Infrastructure;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;

namespace Ana.Cli.Tests;

/// <summary>
/// The CLI as a process against a real nats-server, with agents served and observed by the runtime in the test process.
/// Every test uses a prefix of its own, so nothing one test publishes reaches another.
/// </summary>
[Collection("nats")]
public sealed class CliAgainstNatsTests(NatsServerFixture nats) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);
    private readonly string _prefix = "clitest.t" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<AgentBus> _buses = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (AgentBus bus in _buses)
        {
            await bus.DisposeAsync();
        }
    }

    [NatsFact]
    public async Task Probe_prints_the_reply_of_an_agent_served_by_the_runtime_and_exits_0()
    {
        AgentBus echo = await ConnectAsync("echo-bot");
        await echo.SubscribeToMeAsync(async (envelope, context) =>
        {
            Query query = (Query)envelope;
            using JsonDocument reply = JsonDocument.Parse(
                $$"""{"answer": {{JsonSerializer.Serialize(query.Text)}}, "echo": {{query.Data?.GetRawText() ?? "null"}}, "topic": "{{context.Subject}}"}""");
            await context.ReplyAsync(reply.RootElement.Clone());
        });

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "probe", "echo-bot", "--query", "status?", "--topic", "health", "--data", "{\"n\": [1, 2, 3]}", "--timeout", "10"));

        Assert.True(result.ExitCode == 0, result.ToString());
        string line = Assert.Single(result.StdoutLines);
        using JsonDocument reply = JsonDocument.Parse(line);
        JsonElement root = reply.RootElement;
        Assert.Equal("reply", root.GetProperty("type").GetString());
        Assert.Equal("echo-bot", root.GetProperty("from").GetString());
        Assert.Equal($"{_prefix}.echo-bot.query.health", root.GetProperty("reply_for").GetString());
        Assert.Equal("status?", root.GetProperty("data").GetProperty("answer").GetString());
        Assert.Equal(3, root.GetProperty("data").GetProperty("echo").GetProperty("n")[2].GetInt32());

        // The envelope printed is a valid envelope, as on the wire.
        Reply parsed = Assert.IsType<Reply>(EnvelopeSerializer.Parse(line));
        Assert.NotNull(parsed.RequestId);
    }

    [NatsFact]
    public async Task Send_query_stream_prints_each_item_as_it_arrives_and_exits_0_at_the_end()
    {
        AgentBus writer = await ConnectAsync("writer");
        await writer.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(CountAsync(40, context.CancellationToken), StreamJson.Default.Int32));

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout,
            Args("--identity", "caller", "send", "query", "--to", "writer", "--topic", "count", "--data", "{\"n\": 40}", "--stream", "--window", "4", "--timeout", "30"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(40, result.StdoutLines.Count);
        for (int i = 0; i < 40; i++)
        {
            Reply item = Assert.IsType<Reply>(EnvelopeSerializer.Parse(result.StdoutLines[i]));
            Assert.Equal((i + 1, (long?)(i + 1)), (item.Data!.Value.GetInt32(), item.Sequence));
        }

        static async IAsyncEnumerable<int> CountAsync(int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (int i = 1; i <= count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
                await Task.Yield();
            }
        }
    }

    [NatsFact]
    public async Task Send_query_stream_that_ends_with_an_error_prints_the_items_and_exits_5()
    {
        AgentBus writer = await ConnectAsync("writer");
        await writer.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(FailAsync(), StreamJson.Default.Int32));

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("--identity", "caller", "send", "query", "--to", "writer", "--query", "go", "--stream"));

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Equal(2, result.StdoutLines.Count);
        Assert.Contains("out_of_ink: dry", result.Stderr, StringComparison.Ordinal);

        static async IAsyncEnumerable<int> FailAsync()
        {
            yield return 1;
            await Task.Yield();
            yield return 2;
            throw new AnaException("out_of_ink", "dry");
        }
    }

    [NatsFact]
    public async Task Probe_with_no_responders_exits_4_at_once()
    {
        // A --timeout far beyond RunTimeout: had the CLI waited for it, the run would fail with TimeoutException.
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("probe", "nobody", "--query", "anyone?", "--timeout", "3600"));

        // 4, not the usage error's 2: a script can tell "nobody listens" from "I called ana wrongly".
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Empty(result.StdoutLines);
        Assert.Contains($"no responders: no agent listens on {_prefix}.nobody.query.default", result.Stderr, StringComparison.Ordinal);
        Assert.True(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, result.ToString());
    }

    [NatsFact]
    public async Task Probe_of_an_agent_that_answers_with_an_error_prints_the_reply_and_exits_5()
    {
        AgentBus failing = await ConnectAsync("failing-bot");
        await failing.SubscribeToMeAsync((_, context) => context.ReplyErrorAsync("internal", "the disk is full"));

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("--identity", "caller", "probe", "failing-bot", "--query", "status?", "--timeout", "10"));

        Assert.True(result.ExitCode == 5, result.ToString());
        Reply reply = Assert.IsType<Reply>(EnvelopeSerializer.Parse(Assert.Single(result.StdoutLines)));
        Assert.Equal("internal", reply.Error?.Code);
        Assert.Equal("the disk is full", reply.Error?.Message);
        Assert.Contains("error reply from 'failing-bot': internal: the disk is full", result.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Probe_with_data_and_no_query_sends_the_topic_as_the_text_and_prints_the_reply()
    {
        AgentBus typed = await ConnectAsync("typed-bot");
        await typed.SubscribeToMeAsync(async (envelope, context) =>
        {
            Query query = (Query)envelope;
            using JsonDocument reply = JsonDocument.Parse($$"""{"text": {{JsonSerializer.Serialize(query.Text)}}, "width": {{query.Data?.GetProperty("width").GetInt32()}}}""");
            await context.ReplyAsync(reply.RootElement.Clone());
        });

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout, Args("--identity", "caller", "probe", "typed-bot", "--topic", "resize", "--data", "{\"width\": 640}", "--timeout", "10"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument printed = JsonDocument.Parse(Assert.Single(result.StdoutLines));
        Assert.Equal("resize", printed.RootElement.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(640, printed.RootElement.GetProperty("data").GetProperty("width").GetInt32());
    }

    [NatsFact]
    public async Task Probe_of_a_silent_agent_exits_1_after_the_timeout()
    {
        AgentBus silent = await ConnectAsync("silent-bot");
        int received = 0;
        await silent.SubscribeToMeAsync((_, _) =>
        {
            Interlocked.Increment(ref received);
            return ValueTask.CompletedTask;
        });

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, Args("probe", "silent-bot", "--query", "hello?", "--timeout", "0.3"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StdoutLines);
        Assert.Contains("timeout: no reply from 'silent-bot'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("within 0.3 s", result.Stderr, StringComparison.Ordinal);
        Assert.True(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, result.ToString());

        // The query did reach the agent (it may be handled in this process a moment after the CLI gave up).
        await WaitUntilAsync(() => Volatile.Read(ref received) == 1, result.ToString());
    }

    [NatsFact]
    public async Task Probe_interrupted_while_it_waits_exits_130()
    {
        AgentBus silent = await ConnectAsync("slow-bot");
        int received = 0;
        await silent.SubscribeToMeAsync((_, _) =>
        {
            Interlocked.Increment(ref received);
            return ValueTask.CompletedTask;
        });

        await using ChildProcess probe = AnaCli.Start(Args("probe", "slow-bot", "--query", "take your time", "--timeout", "60"));
        await WaitUntilAsync(() => Volatile.Read(ref received) == 1, probe.Describe());
        probe.Signal(ChildProcess.SIGTERM);

        int exitCode = await probe.WaitForExitAsync(LineTimeout);
        Assert.True(exitCode == 130, $"exit {exitCode}. {probe.Describe()}");
        Assert.Empty(probe.StdoutLines);
    }

    [NatsFact]
    public async Task Listen_prints_what_another_cli_process_sends()
    {
        await using ChildProcess listen = AnaCli.Start(Args("--identity", "ops", "listen", "--scope", "self"));
        await listen.WaitForStderrAsync(l => l.Contains("listening on", StringComparison.Ordinal), LineTimeout);

        ProcessResult send = await AnaCli.RunAsync(
            RunTimeout, Args("--identity", "script", "send", "query", "--to", "ops", "--query", "deploy done?", "--topic", "deploy", "--data", "[\"v1.2\", 3]"));
        Assert.True(send.ExitCode == 0, send.ToString());
        string requestId = EnvelopeSerializer.Parse(Assert.Single(send.StdoutLines)) is Query { RequestId: { } id } ? id : throw new InvalidOperationException(send.ToString());

        string line = await listen.WaitForStdoutAsync(l => l.Contains(requestId, StringComparison.Ordinal), LineTimeout);
        using (JsonDocument printed = JsonDocument.Parse(line))
        {
            Assert.Equal($"{_prefix}.ops.query.deploy", printed.RootElement.GetProperty("subject").GetString());
            JsonElement envelope = printed.RootElement.GetProperty("envelope");
            Assert.Equal("script", envelope.GetProperty("from").GetString());
            Assert.Equal("deploy done?", envelope.GetProperty("query").GetString());
            Assert.Equal("v1.2", envelope.GetProperty("data")[0].GetString());
        }

        listen.Signal(ChildProcess.SIGINT);
        Assert.Equal(0, await listen.WaitForExitAsync(LineTimeout));
    }

    [NatsTheory]
    [InlineData(ChildProcess.SIGINT)]
    [InlineData(ChildProcess.SIGTERM)]
    public async Task Listen_self_prints_what_is_addressed_to_the_identity_and_exits_0_on_a_signal(int signal)
    {
        AgentBus sender = await ConnectAsync("sender");
        await using ChildProcess listen = AnaCli.Start(Args("--identity", "listener", "listen", "--scope", "self"));
        await listen.WaitForStderrAsync(l => l.Contains("listening on", StringComparison.Ordinal), LineTimeout);

        // Sent first on the same connection: if it were printed, it would come before the listener's.
        await sender.QueryAsync("someone-else", "not for the listener", "chat");
        Query query = await sender.QueryAsync("listener", "are you there?", "chat", Json("""{"k": "v"}"""));

        string line = await listen.WaitForStdoutAsync(l => l.Contains(query.RequestId!, StringComparison.Ordinal), LineTimeout);
        using (JsonDocument printed = JsonDocument.Parse(line))
        {
            JsonElement root = printed.RootElement;
            Assert.Equal($"{_prefix}.listener.query.chat", root.GetProperty("subject").GetString());
            JsonElement envelope = root.GetProperty("envelope");
            Assert.Equal("query", envelope.GetProperty("type").GetString());
            Assert.Equal("sender", envelope.GetProperty("from").GetString());
            Assert.Equal("are you there?", envelope.GetProperty("query").GetString());
            Assert.Equal("v", envelope.GetProperty("data").GetProperty("k").GetString());
        }

        Assert.DoesNotContain(listen.StdoutLines, l => l.Contains("someone-else", StringComparison.Ordinal));

        listen.Signal(signal);
        int exitCode = await listen.WaitForExitAsync(LineTimeout);
        Assert.True(exitCode == 0, $"exit {exitCode}. {listen.Describe()}");
        Assert.DoesNotContain("Unhandled", listen.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Listen_all_prints_every_envelope_under_the_prefix_one_json_line_each()
    {
        AgentBus worker = await ConnectAsync("worker-7");
        await using ChildProcess listen = AnaCli.Start(Args("listen", "--scope", "all"));
        await listen.WaitForStderrAsync(l => l.Contains($"listening on {_prefix}.>", StringComparison.Ordinal), LineTimeout);

        await worker.PulseAsync("training", "step=1");
        await worker.AnnounceDiscoveryAsync("worker");
        await worker.QueryAsync("other-bot", "status?");

        await listen.WaitForStdoutAsync(l => l.Contains($"\"{_prefix}.other-bot.query.default\"", StringComparison.Ordinal), LineTimeout);
        IReadOnlyList<string> lines = listen.StdoutLines;
        Assert.Equal(3, lines.Count);
        string[] subjects = [.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("subject").GetString()!)];
        Assert.Equal([$"{_prefix}.worker-7.pulse", $"{_prefix}.worker-7.discovery", $"{_prefix}.other-bot.query.default"], subjects);
        Pulse pulse = Assert.IsType<Pulse>(EnvelopeSerializer.Parse(JsonDocument.Parse(lines[0]).RootElement.GetProperty("envelope").GetRawText()));
        Assert.Equal("step=1", pulse.State);

        listen.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await listen.WaitForExitAsync(LineTimeout));
    }

    [NatsFact]
    public async Task Listen_envelope_only_prints_bare_envelopes()
    {
        AgentBus worker = await ConnectAsync("worker-8");
        await using ChildProcess listen = AnaCli.Start(Args("--identity", "worker-8", "listen", "--envelope-only"));
        await listen.WaitForStderrAsync(l => l.Contains("listening on", StringComparison.Ordinal), LineTimeout);

        await worker.PulseAsync("idle");

        string line = await listen.WaitForStdoutAsync(_ => true, LineTimeout);
        Pulse pulse = Assert.IsType<Pulse>(EnvelopeSerializer.Parse(line));
        Assert.Equal("idle", pulse.Activity);

        listen.Signal(ChildProcess.SIGINT);
        Assert.Equal(0, await listen.WaitForExitAsync(LineTimeout));
    }

    [NatsFact]
    public async Task Listen_ends_with_exit_0_when_the_reader_of_its_output_goes_away()
    {
        AgentBus sender = await ConnectAsync("sender");
        await using ChildProcess listen = AnaCli.Start(Args("--identity", "piped", "listen"), captureStdout: false);
        await listen.WaitForStderrAsync(l => l.Contains("listening on", StringComparison.Ordinal), LineTimeout);

        // As in 'ana listen | head -n 1' once head has exited: the next write fails and listen stops.
        listen.CloseStandardOutput();
        await sender.QueryAsync("piped", "anyone reading?");

        Assert.Equal(0, await listen.WaitForExitAsync(LineTimeout));
    }

    [NatsFact]
    public async Task Send_query_is_received_by_a_runtime_subscriber_and_audited()
    {
        AgentBus target = await ConnectAsync("target");
        Channel<(Query Query, string Subject)> received = Channel.CreateUnbounded<(Query, string)>();
        await target.SubscribeToMeAsync((envelope, context) =>
        {
            received.Writer.TryWrite(((Query)envelope, context.Subject));
            return ValueTask.CompletedTask;
        });
        string audit = Path.Combine(Path.GetTempPath(), $"ana-cli-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            ProcessResult result = await AnaCli.RunAsync(
                RunTimeout,
                Args("--identity", "sender", "--audit-log", audit, "send", "query", "--to", "target", "--query", "resize", "--topic", "img.resize", "--data", "{\"width\": 640}"));

            Assert.True(result.ExitCode == 0, result.ToString());
            using CancellationTokenSource wait = new(LineTimeout);
            (Query query, string subject) = await received.Reader.ReadAsync(wait.Token);
            Assert.Equal($"{_prefix}.target.query.img.resize", subject);
            Assert.Equal("sender", query.From);
            Assert.Equal("target", query.To);
            Assert.Equal("resize", query.Text);
            Assert.Equal(640, query.Data!.Value.GetProperty("width").GetInt32());

            // The CLI printed what it sent.
            Query printed = Assert.IsType<Query>(EnvelopeSerializer.Parse(Assert.Single(result.StdoutLines)));
            Assert.Equal(query.RequestId, printed.RequestId);

            string auditLog = await File.ReadAllTextAsync(audit);
            Assert.Contains($"{_prefix}.target.query.img.resize", auditLog, StringComparison.Ordinal);
            Assert.Contains(query.RequestId!, auditLog, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(audit);
        }
    }

    [NatsFact]
    public async Task Send_pulse_and_discovery_are_received_on_the_identity_subjects()
    {
        AgentBus observer = await ConnectAsync("observer");
        Channel<(Envelope Envelope, string Subject)> received = Channel.CreateUnbounded<(Envelope, string)>();
        await observer.SubscribeAsync($"{_prefix}.>", (envelope, context) =>
        {
            received.Writer.TryWrite((envelope, context.Subject));
            return ValueTask.CompletedTask;
        });

        ProcessResult pulseRun = await AnaCli.RunAsync(RunTimeout, Args("--identity", "trainer", "send", "pulse", "--activity", "training", "--state", "step=42"));
        ProcessResult discoveryRun = await AnaCli.RunAsync(
            RunTimeout, Args("--identity", "trainer", "send", "discovery", "--role", "worker", "--capabilities", "{\"gpu\": \"A100\"}"));

        Assert.True(pulseRun.ExitCode == 0, pulseRun.ToString());
        Assert.True(discoveryRun.ExitCode == 0, discoveryRun.ToString());
        using CancellationTokenSource wait = new(LineTimeout);
        (Envelope first, string firstSubject) = await received.Reader.ReadAsync(wait.Token);
        (Envelope second, string secondSubject) = await received.Reader.ReadAsync(wait.Token);
        Assert.Equal($"{_prefix}.trainer.pulse", firstSubject);
        Pulse pulse = Assert.IsType<Pulse>(first);
        Assert.Equal(("trainer", "training", "step=42"), (pulse.From, pulse.Activity, pulse.State));
        Assert.NotNull(pulse.Clock);
        Assert.Equal($"{_prefix}.trainer.discovery", secondSubject);
        Discovery discovery = Assert.IsType<Discovery>(second);
        Assert.Equal("worker", discovery.Role);
        Assert.Equal([$"{_prefix}.trainer.>"], discovery.SubjectsOwned);
        Assert.Equal("A100", discovery.Capabilities!["gpu"].GetString());
    }

    [NatsFact]
    public async Task Discover_lists_the_agents_that_announce_or_pulse_as_a_table()
    {
        AgentBus worker = await ConnectAsync("worker-1");
        AgentBus pulser = await ConnectAsync("pulser");
        // The window must outlast the announcements below even on a loaded machine: the test waits for it to close.
        await using ChildProcess discover = AnaCli.Start(Args("discover", "--timeout", "10"));
        await discover.WaitForStderrAsync(l => l.Contains("listening for discovery and pulse", StringComparison.Ordinal), LineTimeout);

        await worker.AnnounceDiscoveryAsync("worker");
        await pulser.PulseAsync("idle", "queue=0");

        Assert.True(await discover.WaitForExitAsync(LineTimeout) == 0, discover.Describe());
        IReadOnlyList<string> lines = discover.StdoutLines;
        Assert.True(lines.Count == 3, discover.Describe());
        Assert.Matches(@"^NAME\s+ROLE\s+HOST\s+LAST SEEN\s+SUBJECTS\s+ACTIVITY$", lines[0]);
        Assert.Matches($@"^pulser\s+-\s+{Environment.MachineName}\s+\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+-\s+idle \(queue=0\)$", lines[1]);
        Assert.Matches($@"^worker-1\s+worker\s+{Environment.MachineName}\s+\S+Z\s+{_prefix.Replace(".", @"\.", StringComparison.Ordinal)}\.worker-1\.>\s+-$", lines[2]);
    }

    [NatsFact]
    public async Task Discover_json_prints_one_object_per_agent_and_an_empty_fleet_prints_only_the_header_otherwise()
    {
        AgentBus worker = await ConnectAsync("worker-2");
        await using ChildProcess discover = AnaCli.Start(Args("discover", "--timeout", "10", "--json"));
        await discover.WaitForStderrAsync(l => l.Contains("listening for discovery and pulse", StringComparison.Ordinal), LineTimeout);
        await worker.AnnounceDiscoveryAsync("gpu-worker");
        Assert.True(await discover.WaitForExitAsync(LineTimeout) == 0, discover.Describe());
        using (JsonDocument agent = JsonDocument.Parse(Assert.Single(discover.StdoutLines)))
        {
            Assert.Equal("worker-2", agent.RootElement.GetProperty("name").GetString());
            Assert.Equal("gpu-worker", agent.RootElement.GetProperty("role").GetString());
            Assert.Equal($"{_prefix}.worker-2.>", agent.RootElement.GetProperty("subjects")[0].GetString());
        }

        ProcessResult empty = await AnaCli.RunAsync(RunTimeout, "--nats", nats.Url, "--prefix", _prefix + ".empty", "discover", "--timeout", "0.5");
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.StartsWith("NAME", Assert.Single(empty.StdoutLines), StringComparison.Ordinal);
        Assert.Contains("no agent announced", empty.Stderr, StringComparison.Ordinal);
    }

    [NatsFact]
    public async Task Discover_shows_the_agents_and_topics_a_bus_serves_under_another_name()
    {
        AgentBus planner = await ConnectAsync("planner-1");
        await using ChildProcess discover = AnaCli.Start(Args("discover", "--timeout", "10", "--json"));
        await discover.WaitForStderrAsync(l => l.Contains("listening for discovery and pulse", StringComparison.Ordinal), LineTimeout);

        // What ServeAsync announces for a contract served as "planner" (the bus test checks that it does).
        await planner.PublishAsync($"{_prefix}.planner-1.discovery", new Discovery
        {
            From = "planner-1",
            Ts = DateTimeOffset.UtcNow,
            SubjectsOwned = [$"{_prefix}.planner-1.>", $"{_prefix}.planner.query", $"{_prefix}.planner.query.>"],
            Serves = [new ServedAgent { Agent = "planner", Topics = ["plan", "default"] }],
        });

        Assert.True(await discover.WaitForExitAsync(LineTimeout) == 0, discover.Describe());
        using JsonDocument agent = JsonDocument.Parse(Assert.Single(discover.StdoutLines));
        Assert.Equal("planner-1", agent.RootElement.GetProperty("name").GetString());
        Assert.Equal($"{_prefix}.planner.query.>", agent.RootElement.GetProperty("subjects")[2].GetString());
        JsonElement served = Assert.Single(agent.RootElement.GetProperty("serves").EnumerateArray());
        Assert.Equal("planner", served.GetProperty("agent").GetString());
        Assert.Equal(["plan", "default"], served.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
    }

    private string[] Args(params string[] rest) => ["--nats", nats.Url, "--prefix", _prefix, .. rest];

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = nats.Url, Prefix = _prefix });
        _buses.Add(bus);
        return bus;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string context)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < LineTimeout, $"The condition did not hold within {LineTimeout.TotalSeconds} s. {context}");
            await Task.Delay(20);
        }
    }

    private static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class StreamJson : System.Text.Json.Serialization.JsonSerializerContext;
