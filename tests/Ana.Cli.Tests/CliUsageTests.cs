using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ana.Cli.Tests.Infrastructure;
using Ana.Testing.Processes;

namespace Ana.Cli.Tests;

/// <summary>What the CLI does before (or without) reaching a NATS server: usage errors, help, connection failures.</summary>
public sealed class CliUsageTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["--bogus", "listen"], "Unrecognized command or argument '--bogus'" },
        { ["frobnicate"], "'frobnicate'" },
        { [], "Required command was not provided" },
        { ["probe"], "--query" },
        { ["probe", "bob"], "Option '--query' is required unless --data is given." },
        { ["send", "query", "--to", "bob"], "Option '--query' is required unless --data is given." },
        { ["probe", "bob", "--query", "q", "--timeout", "abc"], "--timeout must be a number of seconds" },
        { ["probe", "bob", "--query", "q", "--timeout", "0"], "--timeout must be a number of seconds" },
        { ["probe", "bob", "--query", "q", "--data", "{bad"], "--data is not valid JSON" },
        { ["probe", "bob", "--query", "q", "--data", "[1, 2"], "--data is not valid JSON" },
        { ["send", "query", "--to", "bob", "--query", "q", "--data", "{\"a\": }"], "--data is not valid JSON" },
        { ["send", "query", "--query", "q"], "Option '--to' is required" },
        { ["send", "discovery", "--capabilities", "[1]"], "--capabilities must be a JSON object" },
        { ["send", "pulse"], "Option '--activity' is required" },
        { ["listen", "--scope", "everyone"], "everyone" },
        { ["--identity", "a.b", "listen"], "--identity: Agent name 'a.b' is not valid" },
        { ["--prefix", "cc.*", "listen"], "--prefix" },
        { ["probe", "bob>", "--query", "q"], "<agent>: Agent name 'bob>' is not valid" },
        { ["probe", "bob", "--query", "q", "--topic", "a..b"], "--topic" },
        { ["discover", "--timeout", "-1"], "--timeout must be a number of seconds" },
        { ["probe", "bob", "--query", "q", "--topic", new string('t', 4100)], "--topic: Topic 'tttt" },
        { ["send", "query", "--to", "bob", "--query", "q", "--topic", new string('é', 600)], "is 1200 bytes long in UTF-8; a topic is at most 1024 bytes" },
        { ["probe", new string('b', 129), "--query", "q"], "<agent>: Agent name 'bbbb" },
        { ["send", "query", "--to", new string('b', 200), "--query", "q"], "is 200 bytes long in UTF-8; an agent name is at most 128 bytes" },
        { ["--identity", new string('i', 129), "listen"], "--identity: Agent name 'iiii" },
        { ["--prefix", new string('p', 129), "listen"], "is 129 bytes long in UTF-8; a prefix is at most 128 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task Bad_command_lines_exit_2_with_the_error_and_a_usage_line_on_stderr(string[] args, string expectedError)
    {
        // No server runs on the default URL in this test: a usage error must come before any connection attempt.
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, ["--nats", ClosedPortUrl(), .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expectedError, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: ana", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.StdoutLines);
        Assert.DoesNotContain("connect", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("listen", "--help")]
    [InlineData("send", "--help")]
    [InlineData("send", "query", "--help")]
    [InlineData("send", "pulse", "--help")]
    [InlineData("send", "discovery", "--help")]
    [InlineData("probe", "--help")]
    [InlineData("discover", "--help")]
    [InlineData("probe", "-h")]
    public async Task Help_of_every_verb_shows_usage_examples_and_exit_codes(params string[] args)
    {
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, args);

        Assert.True(result.ExitCode == 0, result.ToString());
        string help = result.Stdout;
        Assert.Contains("Usage:", help, StringComparison.Ordinal);
        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", help, StringComparison.Ordinal);
        Assert.Contains("1    probe: no reply within --timeout", help, StringComparison.Ordinal);
        Assert.Contains("2    usage error", help, StringComparison.Ordinal);
        Assert.Contains("4    probe: no responders", help, StringComparison.Ordinal);
        Assert.Contains("5    probe: the reply is an error reply", help, StringComparison.Ordinal);
        string verb = args[0] == "--help" ? "ana " : "ana " + string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')));
        Assert.Contains(verb, help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_of_a_verb_lists_its_own_and_the_global_options()
    {
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "probe", "--help");

        foreach (string option in (string[])["--query", "--topic", "--data", "--timeout", "--nats", "--prefix", "--identity", "--audit-log", "--token", "--user", "--password", "--nkey-seed", "--creds", "--tls-ca", "--tls-cert", "--tls-key"])
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_without_echoing_the_password_in_the_url()
    {
        const string Password = "hunter2-not-for-logs";
        string url = ClosedPortUrl().Replace("nats://", $"nats://alice:{Password}@", StringComparison.Ordinal);

        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "--nats", url, "--connect-timeout", "2", "probe", "bob", "--query", "q");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("connect", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("nats://***@127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.StdoutLines);
    }

    [Fact]
    public async Task A_secret_is_masked_even_in_a_usage_error()
    {
        const string Secret = "s3cret-token-value";

        // A stray copy of the token on the command line is reported as an unknown argument, masked.
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "--token", Secret, "listen", Secret);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Unrecognized command or argument '***'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inconsistent_credentials_are_a_usage_error()
    {
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "--nats", ClosedPortUrl(), "--user", "alice", "probe", "bob", "--query", "q");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("needs both a user and a password", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_url_is_accepted_and_probing_nobody_there_exits_4_not_the_usage_code()
    {
        // A --timeout far beyond RunTimeout: had the CLI waited for it, the run would fail with TimeoutException.
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "--nats", "memory://cli-test", "probe", "nobody", "--query", "q", "--timeout", "3600");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.DoesNotContain("Usage:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no responders", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("cc.fleet.nobody.query.default", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_over_memory_prints_the_published_query()
    {
        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout, "--nats", "memory://cli-test", "--identity", "caller", "send", "query", "--to", "bob", "--query", "status?", "--data", "{\"n\": [1, 2]}");

        Assert.True(result.ExitCode == 0, result.ToString());
        string line = Assert.Single(result.StdoutLines);
        using JsonDocument sent = JsonDocument.Parse(line);
        Assert.Equal("query", sent.RootElement.GetProperty("type").GetString());
        Assert.Equal("caller", sent.RootElement.GetProperty("from").GetString());
        Assert.Equal("bob", sent.RootElement.GetProperty("to").GetString());
        Assert.Equal(2, sent.RootElement.GetProperty("data").GetProperty("n")[1].GetInt32());
    }

    [Fact]
    public async Task A_typed_query_needs_no_query_text_and_sends_its_topic_as_the_text()
    {
        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout, "--nats", "memory://cli-test", "--identity", "caller", "send", "query", "--to", "resizer", "--topic", "resize", "--data", "{\"width\": 640}");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument sent = JsonDocument.Parse(Assert.Single(result.StdoutLines));

        // What a generated contract client sends for a typed call: the topic as the text, the arguments as data.
        Assert.Equal("resize", sent.RootElement.GetProperty("query").GetString());
        Assert.Equal(640, sent.RootElement.GetProperty("data").GetProperty("width").GetInt32());
    }

    /// <summary>A URL on a loopback port that nothing listens on.</summary>
    private static string ClosedPortUrl()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"nats://127.0.0.1:{port}";
    }
}
