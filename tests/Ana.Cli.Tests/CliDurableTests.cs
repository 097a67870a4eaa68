using System.Text.Json;
using Ana.Cli.Tests.Infrastructure;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Cli.Tests;

/// <summary><c>ana send query --durable</c> against a nats-server with JetStream, and without.</summary>
public sealed class CliDurableTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly string _prefix = "clidur.t" + Guid.NewGuid().ToString("N")[..8];
    private JetStreamServer _server = null!;

    public async Task InitializeAsync() => _server = await JetStreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [OwnNatsServerFact]
    public async Task Send_durable_stores_the_query_once_per_key_and_prints_the_receipt()
    {
        await using NatsConnection nats = new(new NatsOpts { Url = _server.Url });
        NatsJSContext js = new(nats);
        string stream = "ANA_WORK_" + _prefix.Replace('.', '_');
        await js.CreateStreamAsync(new StreamConfig(stream, [_prefix + ".*.work.>"]) { Retention = StreamConfigRetention.Workqueue });

        string[] args = ["--nats", _server.Url, "--prefix", _prefix, "--identity", "caller", "send", "query", "--to", "indexer", "--topic", "enqueue", "--data", """{"doc":{"id":7}}""", "--durable", "--key", "doc-7"];
        ProcessResult first = await AnaCli.RunAsync(RunTimeout, args);
        ProcessResult again = await AnaCli.RunAsync(RunTimeout, args);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        using JsonDocument one = JsonDocument.Parse(Assert.Single(first.StdoutLines));
        using JsonDocument two = JsonDocument.Parse(Assert.Single(again.StdoutLines));
        Assert.Equal(("doc-7", $"{_prefix}.indexer.work.enqueue", stream, false), (one.RootElement.GetProperty("request_id").GetString(), one.RootElement.GetProperty("subject").GetString(), one.RootElement.GetProperty("stream").GetString(), one.RootElement.GetProperty("duplicate").GetBoolean()));
        Assert.True(two.RootElement.GetProperty("duplicate").GetBoolean());
        Assert.Equal(one.RootElement.GetProperty("seq").GetUInt64(), two.RootElement.GetProperty("seq").GetUInt64());
        Assert.Equal(1, (await js.GetStreamAsync(stream)).Info.State.Messages);
    }

    [OwnNatsServerFact]
    public async Task Send_durable_without_a_stream_or_without_JetStream_exits_3_saying_why()
    {
        ProcessResult noStream = await AnaCli.RunAsync(RunTimeout, "--nats", _server.Url, "--prefix", _prefix, "send", "query", "--to", "indexer", "--topic", "enqueue", "--data", "{}", "--durable");
        Assert.True(noStream.ExitCode == 3, noStream.ToString());
        Assert.Contains("not_stored: No JetStream stream stores the subject", noStream.Stderr, StringComparison.Ordinal);

        await using NatsServer plain = await NatsServer.StartAsync();
        ProcessResult noJetStream = await AnaCli.RunAsync(RunTimeout, "--nats", plain.Url, "--prefix", _prefix, "send", "query", "--to", "indexer", "--topic", "enqueue", "--data", "{}", "--durable");
        Assert.True(noJetStream.ExitCode == 3, noJetStream.ToString());
        Assert.Contains("jetstream_unavailable", noJetStream.Stderr, StringComparison.Ordinal);

        ProcessResult misuse = await AnaCli.RunAsync(RunTimeout, "--nats", plain.Url, "send", "query", "--to", "indexer", "--data", "{}", "--key", "k");
        Assert.True(misuse.ExitCode == 2, misuse.ToString());
        Assert.Contains("Option '--key' needs '--durable'.", misuse.Stderr, StringComparison.Ordinal);
    }
}
