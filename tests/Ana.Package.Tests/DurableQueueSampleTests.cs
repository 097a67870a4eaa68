using System.Text.RegularExpressions;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;

namespace Ana.Package.Tests;

/// <summary>
/// samples/DurableQueue, as built by the solution (issue 16): on a nats-server with JetStream, a producer process stores
/// documents while no worker runs, then a worker process catches up; without a server it says what it needs.
/// </summary>
public sealed class DurableQueueSampleTests
{
    private const int Documents = 12;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [OwnNatsServerFact]
    public async Task A_worker_started_after_the_producer_indexes_every_stored_document_once()
    {
        await using JetStreamServer server = await JetStreamServer.StartAsync();

        // Before any worker ever ran there is no work stream: the producer cannot store, and says what to do.
        ProcessResult early = await RunRawAsync("--nats", server.Url, "--role", "producer", "--count", "1");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("No work stream yet? A worker's first start creates it: run --role setup", early.Output, StringComparison.Ordinal);

        string setup = await RunAsync("--nats", server.Url, "--role", "setup");
        Assert.Contains("setup: work stream ANA_WORK_samples_durable created by a worker's first start", setup, StringComparison.Ordinal);

        string produced = await RunAsync("--nats", server.Url, "--role", "producer", "--count", $"{Documents}");
        Assert.Contains($"producer: {Documents} documents stored in ", produced, StringComparison.Ordinal);

        string worked = (await RunAsync("--nats", server.Url, "--role", "worker", "--count", $"{Documents}")).ReplaceLineEndings("\n");
        int[] indexed = [.. Regex.Matches(worked, @"^worker: indexed doc (\d+) .*, delivery 1\)$", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value))];
        Assert.Equal(Enumerable.Range(1, Documents), indexed.Order());
        Assert.DoesNotContain("delivered again", worked, StringComparison.Ordinal);
        Assert.Matches($@"worker: all {Documents} documents indexed in \d+ ms, each once", worked);
        Assert.Contains($"worker statistics: received {Documents}, redelivered 0, completion-record hits 0, retried 0, expired 0, parked 0", worked, StringComparison.Ordinal);
        Assert.Contains("consumer of samples.durable.indexer.work.enqueue: 0 waiting", worked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--nats", "memory://durable")]
    public async Task Without_a_nats_server_it_says_that_durable_work_needs_jetstream(params string[] args)
    {
        ProcessResult result = await RunRawAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DurableQueue needs a NATS server with JetStream", result.Output, StringComparison.Ordinal);
        Assert.Contains("nats-server -js", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(params string[] args) => (await RunRawAsync(args)).EnsureSuccess("DurableQueue").Output;

    private static async Task<ProcessResult> RunRawAsync(params string[] args)
        => await DotNet.RunAsync(SamplePaths.Repository, Patience, [SamplePaths.Dll("DurableQueue"), .. args]);
}
