using Ana.Testing.Processes;

namespace Ana.Package.Tests;

/// <summary>
/// The samples on memory://, as built by the solution in the test run's configuration (they are in the solution).
/// The samples are built with this project (project references that bring no assembly).
/// </summary>
public sealed class SampleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TwoBotDialogue_asks_three_questions()
    {
        string output = await RunAsync("TwoBotDialogue");
        Assert.Contains("bob -> alice: alive", output, StringComparison.Ordinal);
        Assert.Contains("bob -> alice: you said: hello bob", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EchoBot_tests_itself_on_memory()
    {
        string output = await RunAsync("EchoBot");
        Assert.Contains("echo(\"hello\") -> \"hello\" from echo (#1)", output, StringComparison.Ordinal);
        Assert.Contains("status() -> echo answered 1 query", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendQuery_probes_its_stand_in_on_memory()
    {
        string output = await RunAsync("SendQuery", "--to", "bob", "--query", "status?");
        Assert.Contains("\"bob (local stand-in) got: status?\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendQuery_without_a_target_is_a_usage_error()
    {
        ProcessResult result = await RunRawAsync("SendQuery");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: SendQuery", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_spreads_jobs_over_its_workers()
    {
        string output = await RunAsync("Fleet", "--workers", "3", "--jobs", "30");
        Assert.Contains("30 jobs done by", output, StringComparison.Ordinal);
        Assert.Matches(@"done by [23] worker\(s\)", output);
    }

    [Fact]
    public async Task HostedAgents_greets_through_the_clock_prints_its_health_and_stops_by_itself()
    {
        string output = await RunAsync("HostedAgents", "--calls", "2");
        Assert.Matches(@"greeter -> hello visitor #2 \(asked by hosted-1\), it is \d\d:\d\d:\d\d\.\d{3} UTC", output);
        Assert.Contains("served clock/now for hosted-1 in ", output, StringComparison.Ordinal);
        Assert.Contains("served greeter/greet for hosted-1 in ", output, StringComparison.Ordinal);
        Assert.Contains("health: Healthy (ana: The agent bus 'hosted-1' is connected and serving.)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("visitor #3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingWriter_streams_a_draft_as_it_is_written_and_reports_a_plan_as_it_is_made()
    {
        string output = await RunAsync("StreamingWriter", "--pause-ms", "1");
        Assert.Contains("draft of \"a typed stream\": subjects fan out like rivers,", output, StringComparison.Ordinal);
        Assert.Contains("reader: 29 tokens", output, StringComparison.Ordinal);
        Assert.Contains("writer: finished, 29 tokens", output, StringComparison.Ordinal);
        Assert.Contains("  planner: step 1/5: gather the requirements\n  planner: step 2/5: sketch the contracts", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("plan for \"ship a streaming agent\": 5 steps, 5 reported while it was made", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingWriter_stops_the_writer_when_the_reader_stops_early()
    {
        string output = await RunAsync("StreamingWriter", "--pause-ms", "1", "--stop-after", "6");
        Assert.Contains("reader: 6 tokens", output, StringComparison.Ordinal);
        Assert.Matches(@"writer: stopped after \d+ tokens: the reader had enough", output);
    }

    private static async Task<string> RunAsync(string sample, params string[] args) =>
        (await RunRawAsync(sample, args)).EnsureSuccess(sample).Output;

    private static async Task<ProcessResult> RunRawAsync(string sample, params string[] args)
        => await DotNet.RunAsync(SamplePaths.Repository, Patience, [SamplePaths.Dll(sample), .. args]);
}
