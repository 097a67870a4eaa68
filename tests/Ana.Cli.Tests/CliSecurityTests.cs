using Ana.Cli.Tests.Infrastructure;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;

namespace Ana.Cli.Tests;

/// <summary>
/// Issue 10: the CLI against servers that demand credentials or TLS (each test starts its own nats-server). Reaching
/// "no responders" (exit 2) proves the connection was made; a refused connection exits 3. No secret is ever printed.
/// </summary>
public sealed class CliSecurityTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_token_with_a_slash_in_the_url_is_refused_and_never_printed()
    {
        const string Token = "t0k/en-s3cr3t";
        const string Url = $"nats://{Token}@127.0.0.1:1";

        ProcessResult fromOption = await AnaCli.RunAsync(RunTimeout, "--verbose", "--nats", Url, "probe", "bob", "--query", "q");
        ProcessResult fromEnvironment = await AnaCli.RunAsync(
            RunTimeout, new Dictionary<string, string> { ["ANA_NATS_URL"] = Url }, "--verbose", "probe", "bob", "--query", "q");

        foreach (ProcessResult result in (ProcessResult[])[fromOption, fromEnvironment])
        {
            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains("ercent-encode", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("t0k", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", result.Stderr, StringComparison.Ordinal);
            Assert.Empty(result.StdoutLines);
        }
    }

    [Fact]
    public async Task A_malformed_creds_file_is_a_usage_error_that_never_prints_its_content()
    {
        const string Jwt = "eyJ0eXAiOiJKV1QifQ.eyJzZWNyZXQiOjF9.c2VjcmV0LXNpZw";
        const string Seed = "SUANOTAREALSEEDBUTSECRETANYWAY";
        string creds = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(creds, $"-----BEGIN NATS USER JWT-----\n{Jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n{Seed}\n------END USER NKEY SEED------\n");
            ProcessResult result = await AnaCli.RunAsync(
                RunTimeout, new Dictionary<string, string> { ["ANA_NATS_CREDS"] = creds }, "--nats", "nats://127.0.0.1:1", "probe", "bob", "--query", "q");

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("holds no valid NKey seed", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Seed, result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(creds);
        }
    }

    [OwnNatsServerFact]
    public async Task A_percent_encoded_token_in_the_url_connects_and_is_never_printed()
    {
        const string Token = "t0k/en-s3cr3t";
        await using NatsServer nats = await NatsServer.StartAsync("--auth", Token);
        string url = $"nats://{Uri.EscapeDataString(Token)}@127.0.0.1:{nats.Port}";

        // --verbose: the connection events go to standard error too.
        ProcessResult result = await AnaCli.RunAsync(RunTimeout, "--verbose", "--nats", url, "probe", "nobody", "--query", "q", "--timeout", "30");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("no responders", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stderr, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task A_percent_encoded_password_in_the_url_connects_and_no_part_of_the_user_info_is_printed()
    {
        const string Password = "p/a?s#s-s3cr3t";
        await using NatsServer nats = await NatsServer.StartAsync("--user", "alice", "--pass", Password);
        string url = $"nats://alice:{Uri.EscapeDataString(Password)}@127.0.0.1:{nats.Port}";

        ProcessResult result = await AnaCli.RunAsync(
            RunTimeout, new Dictionary<string, string> { ["ANA_NATS_URL"] = url }, "--verbose", "probe", "nobody", "--query", "q", "--timeout", "30");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("no responders", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("alice:", result.Stderr, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task Mutual_tls_from_options_and_from_the_environment()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartWithConfigAsync(pki.ServerTlsBlock(verifyClients: true), pki.Directory);
        string url = nats.Url.Replace("nats://", "tls://", StringComparison.Ordinal);
        string[] probe = ["probe", "nobody", "--query", "q", "--timeout", "30"];

        ProcessResult options = await AnaCli.RunAsync(
            RunTimeout, ["--nats", url, "--tls-ca", pki.CaFile, "--tls-cert", pki.ClientCertificateFile, "--tls-key", pki.ClientKeyFile, .. probe]);
        Assert.True(options.ExitCode == 4 && options.Stderr.Contains("no responders", StringComparison.Ordinal), options.ToString());

        ProcessResult environment = await AnaCli.RunAsync(
            RunTimeout,
            new Dictionary<string, string>
            {
                ["ANA_NATS_URL"] = url,
                ["ANA_NATS_TLS_CA"] = pki.CaFile,
                ["ANA_NATS_TLS_CERT"] = pki.ClientCertificateFile,
                ["ANA_NATS_TLS_KEY"] = pki.ClientKeyFile,
            },
            probe);
        Assert.True(environment.ExitCode == 4 && environment.Stderr.Contains("no responders", StringComparison.Ordinal), environment.ToString());

        ProcessResult noCertificate = await AnaCli.RunAsync(RunTimeout, ["--nats", url, "--tls-ca", pki.CaFile, .. probe]);
        Assert.True(noCertificate.ExitCode == 3, noCertificate.ToString());
        Assert.Contains("--tls-cert", noCertificate.Stderr, StringComparison.Ordinal);

        ProcessResult noCa = await AnaCli.RunAsync(RunTimeout, ["--nats", url, "--tls-cert", pki.ClientCertificateFile, "--tls-key", pki.ClientKeyFile, .. probe]);
        Assert.True(noCa.ExitCode == 3, noCa.ToString());
        Assert.Contains("--tls-ca", noCa.Stderr, StringComparison.Ordinal);

        ProcessResult missingFile = await AnaCli.RunAsync(RunTimeout, ["--nats", url, "--tls-ca", Path.Combine(pki.Directory, "absent.pem"), .. probe]);
        Assert.True(missingFile.ExitCode == 2, missingFile.ToString());
        Assert.Contains("TLS CA file not found", missingFile.Stderr, StringComparison.Ordinal);
    }
}
