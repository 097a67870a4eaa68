using System.Diagnostics;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 10, defect 6: a secret in a URL that contains '/', '?' or '#' is refused before anything connects or logs, and
/// never shown; percent-encoded, it works. Every log line of every level is checked for the secret.
/// </summary>
public sealed class UrlCredentialTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [OwnNatsServerFact]
    public async Task A_token_with_a_slash_in_the_url_is_refused_unlogged_and_works_percent_encoded()
    {
        const string Token = "t0k/en-s3cr3t";
        await using NatsServer nats = await NatsServer.StartAsync("--auth", Token);

        SecretGuardLoggerFactory refusedLog = new(Token, "t0k", "en-s3cr3t");
        AnaConnectionException refused = await RefusedAsync($"nats://{Token}@127.0.0.1:{nats.Port}", refusedLog);
        Assert.Contains("ercent-encode", refused.Message, StringComparison.Ordinal);
        Assert.Contains("token", refused.Message, StringComparison.Ordinal);
        refusedLog.AssertClean();

        SecretGuardLoggerFactory log = new(Token, "t0k", "en-s3cr3t", "t0k%2Fen-s3cr3t");
        await CallsWorkAsync($"nats://{Uri.EscapeDataString(Token)}@127.0.0.1:{nats.Port}", log);
        Assert.True(log.Lines > 0, "the client logged nothing: the guard proved nothing");
        log.AssertClean();
    }

    [OwnNatsServerFact]
    public async Task A_password_with_slash_question_mark_and_hash_is_refused_unlogged_and_works_percent_encoded()
    {
        const string Password = "p/a?s#s-s3cr3t";
        await using NatsServer nats = await NatsServer.StartAsync("--user", "agent", "--pass", Password);
        // "agent:": the whole user info is masked, in the client's lines too (it shows "agent:***" itself).
        string[] secrets = [Password, "p/a", "s-s3cr3t", Uri.EscapeDataString(Password), "agent:"];

        // Before: a raw UriFormatException out of the client.
        SecretGuardLoggerFactory refusedLog = new(secrets);
        AnaConnectionException refused = await RefusedAsync($"nats://agent:{Password}@127.0.0.1:{nats.Port}", refusedLog);
        Assert.Contains("ercent-encode", refused.Message, StringComparison.Ordinal);
        refusedLog.AssertClean();

        SecretGuardLoggerFactory log = new(secrets);
        await CallsWorkAsync($"nats://agent:{Uri.EscapeDataString(Password)}@127.0.0.1:{nats.Port}", log);
        log.AssertClean();

        // A wrong percent-encoded password: refused by the server, neither form shown anywhere.
        const string Wrong = "wr/ong#pass";
        SecretGuardLoggerFactory wrongLog = new([.. secrets, Wrong, Uri.EscapeDataString(Wrong), "wr/ong", "ong#pass"]);
        AnaConnectionException wrong = await RefusedAsync($"nats://agent:{Uri.EscapeDataString(Wrong)}@127.0.0.1:{nats.Port}", wrongLog);
        Assert.Contains("Authorization Violation", wrong.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("nats://***@127.0.0.1", wrong.Message, StringComparison.Ordinal);
        wrongLog.AssertClean();
    }

    [OwnNatsServerFact]
    public async Task A_secret_in_the_second_url_of_a_seed_list_is_refused_and_masked()
    {
        const string Token = "se/cond-t0ken";
        await using NatsServer nats = await NatsServer.StartAsync("--auth", Token);
        SecretGuardLoggerFactory log = new(Token, "se/cond", "cond-t0ken");
        AnaConnectionException refused = await RefusedAsync($"nats://127.0.0.1:{nats.Port}, nats://{Token}@127.0.0.1:{nats.Port}", log);
        Assert.Contains("Server URL 2 of 2", refused.Message, StringComparison.Ordinal);
        log.AssertClean();
    }

    private async Task<AnaConnectionException> RefusedAsync(string url, SecretGuardLoggerFactory log)
    {
        Stopwatch watch = Stopwatch.StartNew();
        AnaConnectionException error = await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await AgentBus.ConnectAsync("agent", new AgentBusOptions { Url = url, LoggerFactory = log, ConnectTimeout = TimeSpan.FromMinutes(10) })
                .AsTask().WaitAsync(Patience));
        output.WriteLine($"{watch.ElapsedMilliseconds} ms, {log.Lines} log lines: {error.Message}");
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain("s3cr3t", e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("wr/ong", e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("wr%2Fong", e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("t0k", e.ToString(), StringComparison.Ordinal);
        }

        return error;
    }

    private static async Task CallsWorkAsync(string url, SecretGuardLoggerFactory log)
    {
        using CancellationTokenSource cts = new(Patience);
        AgentBusOptions options = new() { Url = url, LoggerFactory = log, Prefix = "urlsec" };
        Assert.DoesNotContain("s3cr3t", options.ToString(), StringComparison.Ordinal);
        await using AgentBus responder = await AgentBus.ConnectAsync("responder", options, cts.Token);
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options, cts.Token);
        await using AgentSubscription serving = await responder.SubscribeToMeAsync(
            (envelope, context) => context.ReplyAsync(System.Text.Json.JsonDocument.Parse("\"pong\"").RootElement.Clone()),
            cancellationToken: cts.Token);
        Reply? reply = await caller.QueryAndWaitAsync("responder", "ping?", timeout: TimeSpan.FromSeconds(20), cancellationToken: cts.Token);
        Assert.Equal("pong", reply?.Data?.GetString());
    }
}
