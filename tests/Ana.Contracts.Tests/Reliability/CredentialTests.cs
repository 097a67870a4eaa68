using System.Diagnostics;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.NKeys;
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

    [OwnNatsServerFact]
    public async Task An_nkey_user_connects_with_its_seed_and_a_wrong_seed_fails_fast_without_leaking_either()
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        using KeyPair stranger = KeyPair.CreatePair(PrefixByte.User);
        DirectoryInfo dir = Directory.CreateTempSubdirectory("ana-nkey-");
        try
        {
            await using NatsServer nats = await NatsServer.StartWithConfigAsync(
                $"authorization {{ users = [ {{ nkey: \"{user.GetPublicKey()}\" }} ] }}\n", dir.FullName);

            SecretGuardLoggerFactory okLog = new(user.GetSeed(), stranger.GetSeed());
            await using (AgentBus ok = await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, NKeySeed = user.GetSeed(), LoggerFactory = okLog }))
            {
                Assert.DoesNotContain(user.GetSeed(), ok.Options.ToString(), StringComparison.Ordinal);
            }

            okLog.AssertClean();

            RecordingLogger log = new();
            Exception error = await ConnectAsync(new AgentBusOptions { Url = nats.Url, NKeySeed = stranger.GetSeed(), LoggerFactory = new RecordingLoggerFactory(log) });
            Check(error, log, stranger.GetSeed(), user.GetSeed(), stranger.GetSeed()[2..]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [OwnNatsServerFact]
    public async Task A_creds_file_connects_and_bad_creds_fail_fast_without_the_jwt_or_seed_in_any_output()
    {
        using NatsCreds creds = new();
        DirectoryInfo dir = Directory.CreateTempSubdirectory("ana-creds-");
        try
        {
            await using NatsServer nats = await NatsServer.StartWithConfigAsync(creds.ServerConfig(), dir.FullName);

            (string jwt, string seed, string text) = creds.NewUser();
            string good = Path.Combine(dir.FullName, "good.creds");
            await File.WriteAllTextAsync(good, text);
            SecretGuardLoggerFactory okLog = new(jwt, seed);
            await using (AgentBus ok = await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, CredentialsFile = good, LoggerFactory = okLog }))
            {
            }

            okLog.AssertClean();

            // A user signed by an account the server does not know.
            (string strangerJwt, string strangerSeed, string strangerText) = creds.NewUser(strangerAccount: true);
            string unknown = Path.Combine(dir.FullName, "unknown.creds");
            await File.WriteAllTextAsync(unknown, strangerText);
            RecordingLogger unknownLog = new();
            Exception refused = await ConnectAsync(new AgentBusOptions { Url = nats.Url, CredentialsFile = unknown, LoggerFactory = new RecordingLoggerFactory(unknownLog) });
            Check(refused, unknownLog, strangerJwt, strangerSeed, jwt, seed);

            // Malformed: the seed block cut off, then the JWT block missing. Refused before connecting, content never echoed.
            string malformed = Path.Combine(dir.FullName, "malformed.creds");
            foreach (string content in (string[])[strangerText[..strangerText.IndexOf("-----BEGIN USER NKEY SEED", StringComparison.Ordinal)], strangerText[strangerText.IndexOf("*****", StringComparison.Ordinal)..]])
            {
                await File.WriteAllTextAsync(malformed, content);
                RecordingLogger malformedLog = new();
                Stopwatch watch = Stopwatch.StartNew();
                Exception bad = await Assert.ThrowsAnyAsync<Exception>(
                    async () => await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, CredentialsFile = malformed, LoggerFactory = new RecordingLoggerFactory(malformedLog), ConnectTimeout = TimeSpan.FromMinutes(10) })
                        .AsTask().WaitAsync(Patience));
                output.WriteLine($"{watch.ElapsedMilliseconds} ms: {bad.GetType().Name}: {bad.Message}");
                Assert.IsType<ArgumentException>(bad);
                Assert.Contains("creds file", bad.Message, StringComparison.Ordinal);
                NoSecret(bad, malformedLog, strangerJwt, strangerSeed);
            }

            // Missing.
            FileNotFoundException missing = await Assert.ThrowsAsync<FileNotFoundException>(
                async () => await AgentBus.ConnectAsync("a", new AgentBusOptions { Url = nats.Url, CredentialsFile = Path.Combine(dir.FullName, "absent.creds") }));
            Assert.Contains("creds file not found", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
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
        NoSecret(error, log, secrets);
    }

    private static void NoSecret(Exception error, RecordingLogger log, params string[] secrets)
    {
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
