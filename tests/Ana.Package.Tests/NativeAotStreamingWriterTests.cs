using System.Diagnostics;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Xunit.Abstractions;

namespace Ana.Package.Tests;

/// <summary>
/// Publishes samples/StreamingWriter (a streaming contract method, an <see cref="IProgress{T}"/> parameter and a
/// heartbeat) with NativeAOT and no trimming or AOT warning, then runs its agents and its caller as separate processes
/// over a real nats-server, the reader stopping early: the stream, the stop reaching the writer, the plan's progress.
/// Runs only with <c>ANA_AOT_TESTS=1</c>.
/// </summary>
[Trait("Category", "Aot")]
public sealed class NativeAotStreamingWriterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [NativeAotFact]
    public async Task The_published_StreamingWriter_streams_stops_early_and_reports_progress_across_processes()
    {
        NativeAotSample sample = await NativeAotSample.PublishAsync("StreamingWriter", output);
        await using NatsServer server = await NatsServer.StartAsync();

        await using ChildProcess agents = ChildProcess.Start(new ProcessStartInfo(sample.Binary, ["--nats", server.Url, "--role", "agents", "--pause-ms", "5"]));
        await agents.WaitForStdoutAsync(line => line.Contains("serving IWriter and IPlanner", StringComparison.Ordinal), Patience);

        Stopwatch watch = Stopwatch.StartNew();
        ProcessResult caller = await ChildProcess.RunAsync(
            new ProcessStartInfo(sample.Binary, ["--nats", server.Url, "--role", "caller", "--stop-after", "10", "--pause-ms", "5"]), Patience);
        caller.EnsureSuccess("StreamingWriter --role caller");
        Assert.Contains("reader: 10 tokens", caller.Output, StringComparison.Ordinal);
        Assert.Contains("plan for \"ship a streaming agent\": 5 steps, 5 reported while it was made", caller.Output, StringComparison.Ordinal);
        await agents.WaitForStderrAsync(line => line.Contains("writer: stopped after", StringComparison.Ordinal), Patience);
        output.WriteLine($"caller process (NativeAOT): 10 streamed tokens, then a plan with 5 progress reports, in {watch.ElapsedMilliseconds} ms from process start");
        output.WriteLine(caller.Output.Trim());
    }
}
