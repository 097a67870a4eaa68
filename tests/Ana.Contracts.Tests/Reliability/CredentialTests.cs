using System.Diagnostics;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>Issue 6, security: a wrong credential fails fast at <see cref="AgentBus.ConnectAsync"/>, clearly, without logging the secret.</summary>
public sealed class CredentialTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [OwnNatsServerFact]
    public async Task A_wrong_token_fails_fast_without_leaking_it()
    {
        await using NatsServer nats = await NatsServer.StartAsync("--auth", "right-token-s3cr3t");
        RecordingLogger log = new();
        const string Wrong = "wrong-token-0xDEADBEEF";
        Exception error = await ConnectAsync(new AgentBusOptions { Url = nats.Url, Token = Wrong, LoggerFactory = new RecordingLoggerFactory(log) });
        Check(error, log, Wrong, "right-token-s3cr3t");

        await using AgentBus ok = await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, Token = "right-token-s3cr3t" });
    }

    [OwnNatsServerFact]
    public async Task A_wrong_password_fails_fast_without_leaking_it()
    {
        await using NatsServer nats = await NatsServer.StartAsync("--user", "agent", "--pass", "right-pass-s3cr3t");
        RecordingLogger log = new();
        const string Wrong = "wrong-pass-0xDEADBEEF";
        Exception error = await ConnectAsync(new AgentBusOptions { Url = nats.Url, Username = "agent", Password = Wrong, LoggerFactory = new RecordingLoggerFactory(log) });
        Check(error, log, Wrong, "right-pass-s3cr3t");

        // The password in the URL is redacted as well.
        RecordingLogger urlLog = new();
        Exception inUrl = await ConnectAsync(new AgentBusOptions { Url = $"nats://agent:{Wrong}@127.0.0.1:{nats.Port}", LoggerFactory = new RecordingLoggerFactory(urlLog) });
        Check(inUrl, urlLog, Wrong, "right-pass-s3cr3t");

        await using AgentBus ok = await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, Username = "agent", Password = "right-pass-s3cr3t" });
    }

    private async Task<Exception> ConnectAsync(AgentBusOptions options)
    {
        // A connect timeout far beyond the test's patience: the refusal itself must end the attempt, not the timeout.
        Stopwatch watch = Stopwatch.StartNew();
        Exception error = await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await AgentBus.ConnectAsync("agent", options with { ConnectTimeout = TimeSpan.FromMinutes(10) }).AsTask().WaitAsync(Patience));
        output.WriteLine($"{watch.ElapsedMilliseconds} ms: {error.GetType().Name}: {error.Message}");
        return error;
    }

    private static void Check(Exception error, RecordingLogger log, params string[] secrets)
    {
        Assert.Contains("Could not connect to NATS", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization Violation", error.Message, StringComparison.OrdinalIgnoreCase);
        foreach (string secret in secrets)
        {
            for (Exception? e = error; e is not null; e = e.InnerException)
            {
                Assert.DoesNotContain(secret, e.ToString(), StringComparison.Ordinal);
            }

            Assert.DoesNotContain(log.Entries, entry => entry.Message.Contains(secret, StringComparison.Ordinal)
                || (entry.Exception?.ToString().Contains(secret, StringComparison.Ordinal) ?? false));
        }
    }
}
