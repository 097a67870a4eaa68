using System.Collections.Concurrent;
using System.Text.Json;
using Ana.Cli.Tests.Infrastructure;
using Ana.Contracts;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;

namespace Ana.Cli.Tests;

public sealed record Job(int Id);

/// <summary>Durable methods for the CLI's durable verbs: one-way jobs that fail while the test says so, and a durable call.</summary>
[AnaAgent("cli-jobs")]
public partial interface IJobs
{
    [AnaDurable(MaxAttempts = 2, RetryDelaySeconds = 0.1), AnaOneWay]
    Task RunAsync(Job job);

    [AnaDurable, AnaTimeout(30)]
    Task<int> DoubleAsync(int value);
}

/// <summary>Fails every job while <see cref="Broken"/> is set; records the jobs that ran to the end.</summary>
public sealed class Jobs : IJobs
{
    public volatile bool Broken = true;

    public ConcurrentQueue<int> Done { get; } = new();

    public Task RunAsync(Job job)
    {
        if (Broken)
        {
            throw new InvalidOperationException($"job {job.Id} cannot run");
        }

        Done.Enqueue(job.Id);
        return Task.CompletedTask;
    }

    public Task<int> DoubleAsync(int value) => Task.FromResult(value * 2);
}

/// <summary><c>ana parked</c>, <c>ana durable status</c> and <c>ana probe --durable</c> against a nats-server with JetStream.</summary>
public sealed class CliParkedTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly string _prefix = "clipark.t" + Guid.NewGuid().ToString("N")[..8];
    private JetStreamServer _server = null!;

    public async Task InitializeAsync() => _server = await JetStreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [OwnNatsServerFact]
    public async Task Parked_messages_are_listed_shown_replayed_and_dropped_and_the_status_shows_the_consumers()
    {
        Jobs jobs = new();
        await using AgentBus worker = await AgentBus.ConnectAsync("worker-1", new AgentBusOptions { Url = _server.Url, Prefix = _prefix });
        await using AgentSubscription served = await worker.ServeAsync<IJobs>(jobs);
        await using AgentBus producer = await AgentBus.ConnectAsync("producer", new AgentBusOptions { Url = _server.Url, Prefix = _prefix });
        await producer.Client<IJobs>().RunAsync(new Job(1));
        await producer.Client<IJobs>().RunAsync(new Job(2));
        await WaitUntilAsync(() => worker.Statistics.DurableParked == 2);

        ProcessResult list = await RunAsync("parked", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        JsonElement[] parked = [.. list.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(2, parked.Length);
        Assert.All(parked, p => Assert.Equal(("cli-jobs", "run", $"{_prefix}.cli-jobs.work.run", 2, "internal", "worker-1"), (p.GetProperty("agent").GetString(), p.GetProperty("topic").GetString(), p.GetProperty("subject").GetString(), p.GetProperty("attempts").GetInt32(), p.GetProperty("error_code").GetString(), p.GetProperty("by").GetString())));
        Assert.All(parked, p => Assert.DoesNotContain("cannot run", p.GetProperty("error").GetString(), StringComparison.Ordinal));
        ulong first = parked[0].GetProperty("seq").GetUInt64(), second = parked[1].GetProperty("seq").GetUInt64();

        // The two jobs fail and are retried side by side, so either may be parked first: `first` is job 1's.
        ProcessResult peek = await RunAsync("parked", "show", Number(first));
        using (JsonDocument peeked = JsonDocument.Parse(Assert.Single(peek.StdoutLines)))
        {
            if (peeked.RootElement.GetProperty("envelope").GetProperty("data").GetProperty("job").GetProperty("id").GetInt32() != 1)
            {
                (first, second) = (second, first);
            }
        }

        ProcessResult table = await RunAsync("parked", "list", "--agent", "cli-jobs");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.StartsWith("SEQ", table.StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal(3, table.StdoutLines.Count);
        ProcessResult otherAgent = await RunAsync("parked", "list", "--agent", "nobody", "--json");
        Assert.Empty(otherAgent.StdoutLines);

        ProcessResult show = await RunAsync("parked", "show", Number(first));
        Assert.True(show.ExitCode == 0, show.ToString());
        using (JsonDocument shown = JsonDocument.Parse(Assert.Single(show.StdoutLines)))
        {
            JsonElement envelope = shown.RootElement.GetProperty("envelope");
            Assert.Equal(("query", "run"), (envelope.GetProperty("type").GetString(), envelope.GetProperty("query").GetString()));
            Assert.Equal(1, envelope.GetProperty("data").GetProperty("job").GetProperty("id").GetInt32());
        }

        jobs.Broken = false;
        ProcessResult replay = await RunAsync("parked", "replay", Number(first));
        Assert.True(replay.ExitCode == 0, replay.ToString());
        using (JsonDocument receipt = JsonDocument.Parse(Assert.Single(replay.StdoutLines)))
        {
            Assert.Equal(first, receipt.RootElement.GetProperty("parked_seq").GetUInt64());
            Assert.False(receipt.RootElement.GetProperty("duplicate").GetBoolean());
        }

        await WaitUntilAsync(() => jobs.Done.Contains(1));
        ProcessResult drop = await RunAsync("parked", "drop", Number(second));
        Assert.True(drop.ExitCode == 0, drop.ToString());
        Assert.Empty((await RunAsync("parked", "list", "--json")).StdoutLines);
        Assert.DoesNotContain(2, jobs.Done);

        ProcessResult gone = await RunAsync("parked", "show", Number(second));
        Assert.True(gone.ExitCode == 1, gone.ToString());
        Assert.Contains($"no parked message has the number {second}", gone.Stderr, StringComparison.Ordinal);

        ProcessResult status = await RunAsync("durable", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using JsonDocument state = JsonDocument.Parse(Assert.Single(status.StdoutLines));
        JsonElement[] streams = [.. state.RootElement.GetProperty("streams").EnumerateArray()];
        Assert.Equal(
            ["ANA_WORK_" + _prefix.Replace('.', '_'), "ANA_PARKED_" + _prefix.Replace('.', '_'), "KV_ANA_DONE_" + _prefix.Replace('.', '_')],
            streams.Select(s => s.GetProperty("name").GetString()));
        Assert.All(streams, s => Assert.True(s.GetProperty("exists").GetBoolean()));
        JsonElement run = state.RootElement.GetProperty("consumers").EnumerateArray().Single(c => c.GetProperty("subject").GetString() == $"{_prefix}.cli-jobs.work.run");
        Assert.Equal((0, 0), (run.GetProperty("pending").GetInt32(), run.GetProperty("in_flight").GetInt32()));

        ProcessResult text = await RunAsync("durable", "status");
        Assert.Contains($"{_prefix}.cli-jobs.work.double", text.Stdout, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task Replay_all_of_an_agent_replays_every_parked_message_of_it()
    {
        Jobs jobs = new();
        await using AgentBus worker = await AgentBus.ConnectAsync("worker-1", new AgentBusOptions { Url = _server.Url, Prefix = _prefix });
        await using AgentSubscription served = await worker.ServeAsync<IJobs>(jobs);
        for (int i = 0; i < 3; i++)
        {
            await worker.Client<IJobs>().RunAsync(new Job(10 + i));
        }

        await WaitUntilAsync(() => worker.Statistics.DurableParked == 3);
        jobs.Broken = false;

        ProcessResult replay = await RunAsync("parked", "replay", "--all", "--agent", "cli-jobs");

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(3, replay.StdoutLines.Count);
        await WaitUntilAsync(() => jobs.Done.Count == 3);
        Assert.Equal([10, 11, 12], jobs.Done.Order());
        Assert.Empty((await RunAsync("parked", "list", "--json")).StdoutLines);

        ProcessResult misuse = await RunAsync("parked", "replay", "--agent", "cli-jobs");
        Assert.True(misuse.ExitCode == 2, misuse.ToString());
    }

    [OwnNatsServerFact]
    public async Task Probe_durable_stores_the_call_until_a_server_takes_it_and_prints_its_reply()
    {
        await using AgentBus worker = await AgentBus.ConnectAsync("worker-1", new AgentBusOptions { Url = _server.Url, Prefix = _prefix });
        AgentSubscription served = await worker.ServeAsync<IJobs>(new Jobs());
        await served.DisposeAsync();

        // Stored while no server runs; a server that starts a moment later answers it.
        Task<ProcessResult> probe = RunAsync("probe", "cli-jobs", "--topic", "double", "--data", """{"value":21}""", "--durable", "--key", "double-21");
        await Task.Delay(1_000);
        await using AgentSubscription again = await worker.ServeAsync<IJobs>(new Jobs());
        ProcessResult result = await probe;

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument reply = JsonDocument.Parse(Assert.Single(result.StdoutLines));
        Assert.Equal(("reply", "double-21", 42), (reply.RootElement.GetProperty("type").GetString(), reply.RootElement.GetProperty("request_id").GetString(), reply.RootElement.GetProperty("data").GetInt32()));
    }

    private Task<ProcessResult> RunAsync(params string[] args)
        => AnaCli.RunAsync(RunTimeout, ["--nats", _server.Url, "--prefix", _prefix, "--identity", "operator", .. args]);

    private static string Number(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < RunTimeout, "The condition did not hold within 60 s.");
            await Task.Delay(50);
        }
    }
}
