using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport;
using Ana.Transport.Nats;
using NATS.Client.Core;
using NATS.NKeys;

namespace Ana.Tests.Transport;

public sealed class NatsOptionsFactoryTests
{
    [Fact]
    public void Maps_plain_values()
    {
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions
        {
            Url = " nats://127.0.0.1:4222 , nats://127.0.0.1:4223,",
            Token = "s3cret",
            ConnectTimeout = TimeSpan.FromSeconds(3),
        }, "agent-7");

        Assert.Equal("nats://127.0.0.1:4222,nats://127.0.0.1:4223", opts.Url);
        Assert.Equal("agent-7", opts.Name);
        Assert.Equal("s3cret", opts.AuthOpts.Token);
        Assert.Equal(TimeSpan.FromSeconds(3), opts.ConnectTimeout);
        Assert.Equal(TlsMode.Auto, opts.TlsOpts.Mode);
    }

    [Fact]
    public void Keeps_client_defaults_when_values_are_absent()
    {
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:4222" });
        Assert.Equal(NatsOpts.Default.Name, opts.Name);
        Assert.Equal(new AgentBusOptions().ConnectTimeout, opts.ConnectTimeout);
        Assert.True(opts.AuthOpts.IsAnonymous);
        Assert.True(opts.Headers, "headers are needed for no-responders");
    }

    [Fact]
    public void Reconnects_quickly_by_default_and_maps_the_reconnect_settings()
    {
        // Defaults chosen for agents (docs/reliability.md, "Cluster failover"), not the client's 2 s / 5 s.
        NatsOpts defaults = NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:4222" });
        Assert.Equal(TimeSpan.FromMilliseconds(100), defaults.ReconnectWaitMin);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.ReconnectWaitMax);
        Assert.Equal(TimeSpan.FromMilliseconds(100), defaults.ReconnectJitter);
        Assert.False(defaults.NoRandomize);

        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions
        {
            Url = "nats://127.0.0.1:4222",
            ReconnectWaitMin = TimeSpan.FromMilliseconds(250),
            ReconnectWaitMax = TimeSpan.FromSeconds(10),
            ReconnectJitter = TimeSpan.Zero,
            NoRandomize = true,
        });
        Assert.Equal(TimeSpan.FromMilliseconds(250), opts.ReconnectWaitMin);
        Assert.Equal(TimeSpan.FromSeconds(10), opts.ReconnectWaitMax);
        Assert.Equal(TimeSpan.Zero, opts.ReconnectJitter);
        Assert.True(opts.NoRandomize);
    }

    [Fact]
    public void Maps_user_and_password()
    {
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", Username = "u", Password = "p" });
        Assert.Equal("u", opts.AuthOpts.Username);
        Assert.Equal("p", opts.AuthOpts.Password);
    }

    [Fact]
    public void Derives_the_public_key_from_an_nkey_seed()
    {
        using KeyPair pair = KeyPair.CreatePair(PrefixByte.User);
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", NKeySeed = pair.GetSeed() });
        Assert.Equal(pair.GetPublicKey(), opts.AuthOpts.NKey);
        Assert.Equal(pair.GetSeed(), opts.AuthOpts.Seed);
    }

    [Fact]
    public void An_invalid_seed_is_rejected_without_echoing_it()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(
            () => NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", NKeySeed = "SUNOTAVALIDSEEDATALL" }));
        Assert.DoesNotContain("SUNOTAVALIDSEEDATALL", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Maps_tls_files_and_mode()
    {
        string ca = Path.GetTempFileName();
        string cert = Path.GetTempFileName();
        string key = Path.GetTempFileName();
        try
        {
            NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions
            {
                Url = "tls://127.0.0.1:1",
                Tls = NatsTlsOpts.Default with { Mode = TlsMode.Require },
                TlsCaFile = ca,
                TlsCertificateFile = cert,
                TlsKeyFile = key,
            });
            Assert.Equal(TlsMode.Require, opts.TlsOpts.Mode);
            Assert.Equal(ca, opts.TlsOpts.CaFile);
            Assert.Equal(cert, opts.TlsOpts.CertFile);
            Assert.Equal(key, opts.TlsOpts.KeyFile);
        }
        finally
        {
            File.Delete(ca);
            File.Delete(cert);
            File.Delete(key);
        }
    }

    [Fact]
    public void Tls_files_take_precedence_over_the_pass_through_and_keep_its_other_settings()
    {
        string ca = Path.GetTempFileName();
        try
        {
            NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions
            {
                Url = "tls://127.0.0.1:1",
                Tls = NatsTlsOpts.Default with { Mode = TlsMode.Require, CaFile = "/ignored/ca.pem", InsecureSkipVerify = true },
                TlsCaFile = ca,
            });
            Assert.Equal(ca, opts.TlsOpts.CaFile);
            Assert.Equal(TlsMode.Require, opts.TlsOpts.Mode);
            Assert.True(opts.TlsOpts.InsecureSkipVerify);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void Maps_a_creds_file()
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        string creds = Path.GetTempFileName();
        try
        {
            File.WriteAllText(creds, CredsText("eyJ0eXAiOiJKV1QifQ.e30.c2ln", user.GetSeed()));
            NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", CredentialsFile = creds });
            Assert.Equal(creds, opts.AuthOpts.CredsFile);
        }
        finally
        {
            File.Delete(creds);
        }
    }

    [Theory]
    [InlineData("", "no user JWT")]
    [InlineData("jwt-only", "no NKey seed block")]
    [InlineData("bad-seed", "no valid NKey seed")]
    [InlineData("seed-only", "no user JWT")]
    public void A_malformed_creds_file_is_rejected_without_echoing_it(string shape, string reason)
    {
        const string Jwt = "eyJ0eXAiOiJKV1QifQ.eyJzZWNyZXQiOjF9.c2VjcmV0LXNpZw";
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        string full = CredsText(Jwt, user.GetSeed());
        string content = shape switch
        {
            "jwt-only" => full[..full.IndexOf("-----BEGIN USER NKEY SEED", StringComparison.Ordinal)],
            "bad-seed" => full.Replace(user.GetSeed(), "SUAGARBAGEGARBAGE", StringComparison.Ordinal),
            "seed-only" => full[full.IndexOf("-----BEGIN USER NKEY SEED", StringComparison.Ordinal)..],
            _ => string.Empty,
        };
        string creds = Path.GetTempFileName();
        try
        {
            File.WriteAllText(creds, content);
            ArgumentException ex = Assert.Throws<ArgumentException>(
                () => NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", CredentialsFile = creds }));
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(user.GetSeed(), ex.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", ex.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("SUAGARBAGE", ex.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(creds);
        }
    }

    private static string CredsText(string jwt, string seed)
        => $"-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n************\n\n-----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n";

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    public void Rejects_an_empty_url(string url)
        => Assert.Throws<ArgumentException>(() => NatsOptionsFactory.Create(new AgentBusOptions { Url = url }));

    [Fact]
    public void Rejects_several_authentication_methods()
        => Assert.Throws<ArgumentException>(() => NatsOptionsFactory.Create(
            new AgentBusOptions { Url = "nats://127.0.0.1:1", Token = "t", Username = "u", Password = "p" }));

    [Fact]
    public void Rejects_a_user_without_password()
        => Assert.Throws<ArgumentException>(() => NatsOptionsFactory.Create(new AgentBusOptions { Url = "nats://127.0.0.1:1", Username = "u" }));

    [Fact]
    public void Rejects_a_certificate_without_key()
        => Assert.Throws<ArgumentException>(() => NatsOptionsFactory.Create(
            new AgentBusOptions { Url = "nats://127.0.0.1:1", TlsCertificateFile = "/nonexistent/cert.pem" }));

    [Fact]
    public void Rejects_missing_files()
    {
        Assert.Throws<FileNotFoundException>(() => NatsOptionsFactory.Create(
            new AgentBusOptions { Url = "nats://127.0.0.1:1", CredentialsFile = "/nonexistent/user.creds" }));
        Assert.Throws<FileNotFoundException>(() => NatsOptionsFactory.Create(
            new AgentBusOptions { Url = "nats://127.0.0.1:1", TlsCaFile = "/nonexistent/ca.pem" }));
    }

    [Fact]
    public void Rejects_a_non_positive_connect_timeout()
        => Assert.Throws<ArgumentException>(() => NatsOptionsFactory.Create(
            new AgentBusOptions { Url = "nats://127.0.0.1:1", ConnectTimeout = TimeSpan.Zero }));

    [Fact]
    public void Options_never_print_secrets()
    {
        string text = new AgentBusOptions
        {
            Url = "nats://u:urlpass@127.0.0.1:4222",
            Token = "tokensecret",
            Username = "u",
            Password = "passsecret",
            NKeySeed = "seedsecret",
        }.ToString();
        Assert.StartsWith("AgentBusOptions {", text, StringComparison.Ordinal);

        Assert.DoesNotContain("urlpass", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tokensecret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("passsecret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("seedsecret", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:4222", text, StringComparison.Ordinal);
    }
}

/// <summary>The mapped options against servers that demand authentication or TLS (each test starts its own).</summary>
public sealed class NatsOptionsFactoryServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [OwnNatsServerFact]
    public async Task Token_authentication()
    {
        await using NatsServer server = await NatsServer.StartAsync("--auth", "t0ken");

        await AssertConnectsAsync(new AgentBusOptions { Url = server.Url, Token = "t0ken" });
        AnaConnectionException ex = await AssertRefusedAsync(new AgentBusOptions { Url = server.Url, Token = "wrong-token-value" });
        Assert.Contains("Authorization Violation", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-value", ex.ToString(), StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task User_and_password_authentication()
    {
        await using NatsServer server = await NatsServer.StartAsync("--user", "ana", "--pass", "pa55");

        await AssertConnectsAsync(new AgentBusOptions { Url = server.Url, Username = "ana", Password = "pa55" });
        AnaConnectionException ex = await AssertRefusedAsync(new AgentBusOptions { Url = server.Url, Username = "ana", Password = "bad-password-value" });
        Assert.DoesNotContain("bad-password-value", ex.ToString(), StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task Nkey_authentication()
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        using KeyPair stranger = KeyPair.CreatePair(PrefixByte.User);
        string config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, $"authorization {{ users = [ {{ nkey: \"{user.GetPublicKey()}\" }} ] }}\n");
            await using NatsServer server = await NatsServer.StartAsync("-c", config);

            await AssertConnectsAsync(new AgentBusOptions { Url = server.Url, NKeySeed = user.GetSeed() });
            AnaConnectionException ex = await AssertRefusedAsync(new AgentBusOptions { Url = server.Url, NKeySeed = stranger.GetSeed() });
            Assert.DoesNotContain(stranger.GetSeed(), ex.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [OwnNatsServerFact]
    public async Task Tls_with_a_private_certificate_authority()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("ana-nats-tls-");
        try
        {
            string certFile = Path.Combine(dir.FullName, "server.pem");
            string keyFile = Path.Combine(dir.FullName, "server-key.pem");
            using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                CertificateRequest request = new("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
                SubjectAlternativeNameBuilder san = new();
                san.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(san.Build());
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
                await File.WriteAllTextAsync(certFile, cert.ExportCertificatePem());
                await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
            }

            await using NatsServer server = await NatsServer.StartAsync("--tls", "--tlscert", certFile, "--tlskey", keyFile);

            string tlsUrl = server.Url.Replace("nats://", "tls://", StringComparison.Ordinal);
            await AssertConnectsAsync(new AgentBusOptions { Url = tlsUrl, Tls = NatsTlsOpts.Default with { Mode = TlsMode.Require }, TlsCaFile = certFile });

            // Without the CA the server certificate is not trusted.
            AnaConnectionException ex = await AssertRefusedAsync(new AgentBusOptions { Url = tlsUrl, Tls = NatsTlsOpts.Default with { Mode = TlsMode.Require } });
            Assert.Contains("certificate", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task AssertConnectsAsync(AgentBusOptions settings)
    {
        NatsOpts opts = NatsOptionsFactory.Create(settings, "ana-options-test");
        using CancellationTokenSource cts = new(Timeout);
        await using NatsTransport transport = await NatsTransport.ConnectAsync(opts, new RecordingLogger(), cts.Token);

        string subject = NatsTestSupport.Unique("auth");
        Collector collector = new();
        await using ITransportSubscription subscription = await transport.SubscribeAsync(subject, null, collector.Handler, cts.Token);
        await transport.PublishAsync(subject, null, new byte[] { 1 }, cts.Token);
        Assert.Equal([1], (await collector.NextAsync()).Payload);
    }

    private static async Task<AnaConnectionException> AssertRefusedAsync(AgentBusOptions settings)
    {
        NatsOpts opts = NatsOptionsFactory.Create(settings with { ConnectTimeout = TimeSpan.FromSeconds(2) });
        using CancellationTokenSource cts = new(Timeout);
        return await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), cts.Token));
    }
}
