using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 10, transport security: TLS, mutual TLS and their failures against a real nats-server configured with a CA,
/// server and client certificates the test generates. A failure is an <see cref="AnaConnectionException"/> that says what
/// is wrong, well within the connect timeout.
/// </summary>
public sealed class TransportSecurityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [OwnNatsServerFact]
    public async Task Tls_with_the_private_ca_trusted_carries_calls()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartWithConfigAsync(pki.ServerTlsBlock(), pki.Directory);

        await CallsWorkAsync(new AgentBusOptions { Url = TlsUrl(nats), TlsCaFile = pki.CaFile });
    }

    [OwnNatsServerFact]
    public async Task Tls_with_an_untrusted_ca_fails_fast_and_says_why()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartWithConfigAsync(pki.ServerTlsBlock(), pki.Directory);

        AnaConnectionException system = await RefusedAsync(new AgentBusOptions { Url = TlsUrl(nats) });
        AnaConnectionException other = await RefusedAsync(new AgentBusOptions { Url = TlsUrl(nats), TlsCaFile = pki.OtherCaFile });
        Assert.Contains("certificate is not trusted", system.Message, StringComparison.Ordinal);
        Assert.Contains("TlsCaFile", system.Message, StringComparison.Ordinal);
        Assert.Contains("not signed by the CA given", other.Message, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task Mutual_tls_works_with_the_client_certificate_and_fails_clearly_without()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartWithConfigAsync(pki.ServerTlsBlock(verifyClients: true), pki.Directory);

        await CallsWorkAsync(new AgentBusOptions
        {
            Url = TlsUrl(nats),
            TlsCaFile = pki.CaFile,
            TlsCertificateFile = pki.ClientCertificateFile,
            TlsKeyFile = pki.ClientKeyFile,
        });

        AnaConnectionException without = await RefusedAsync(new AgentBusOptions { Url = TlsUrl(nats), TlsCaFile = pki.CaFile });
        AnaConnectionException stranger = await RefusedAsync(new AgentBusOptions
        {
            Url = TlsUrl(nats),
            TlsCaFile = pki.CaFile,
            TlsCertificateFile = pki.OtherClientCertificateFile,
            TlsKeyFile = pki.OtherClientKeyFile,
        });
        Assert.Contains("requires a TLS client certificate", without.Message, StringComparison.Ordinal);
        Assert.Contains("refused the TLS client certificate", stranger.Message, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task A_tls_only_server_reached_with_nats_scheme_is_upgraded_to_verified_tls_or_refused_clearly()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartWithConfigAsync(pki.ServerTlsBlock(), pki.Directory);

        // The client's TlsMode.Auto follows the server's INFO (tls_required): it upgrades, and verifies the certificate as for tls://.
        await CallsWorkAsync(new AgentBusOptions { Url = nats.Url, TlsCaFile = pki.CaFile });
        AnaConnectionException untrusted = await RefusedAsync(new AgentBusOptions { Url = nats.Url });
        Assert.Contains("certificate is not trusted", untrusted.Message, StringComparison.Ordinal);

        // Plain text only, on request: refused, never sent unencrypted.
        AnaConnectionException disabled = await RefusedAsync(new AgentBusOptions { Url = nats.Url, Tls = NatsTlsOpts.Default with { Mode = TlsMode.Disable } });
        Assert.Contains("requires TLS", disabled.Message, StringComparison.Ordinal);
    }

    [OwnNatsServerFact]
    public async Task A_plain_server_reached_with_tls_scheme_is_refused_clearly()
    {
        using TestCertificates pki = TestCertificates.Create();
        await using NatsServer nats = await NatsServer.StartAsync();

        AnaConnectionException error = await RefusedAsync(new AgentBusOptions { Url = TlsUrl(nats), TlsCaFile = pki.CaFile });
        Assert.Contains("does not support TLS", error.Message, StringComparison.Ordinal);
    }

    private static string TlsUrl(NatsServer nats) => nats.Url.Replace("nats://", "tls://", StringComparison.Ordinal);

    private async Task<AnaConnectionException> RefusedAsync(AgentBusOptions options)
    {
        RecordingLogger log = new();
        Stopwatch watch = Stopwatch.StartNew();
        AnaConnectionException error = await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await AgentBus.ConnectAsync("agent", options with { ConnectTimeout = ConnectTimeout, LoggerFactory = new RecordingLoggerFactory(log) })
                .AsTask().WaitAsync(Patience));
        output.WriteLine($"{watch.ElapsedMilliseconds} ms: {error.Message}");
        Assert.True(watch.Elapsed < ConnectTimeout, $"took {watch.Elapsed}, not less than the connect timeout {ConnectTimeout}");
        return error;
    }

    private async Task CallsWorkAsync(AgentBusOptions options)
    {
        using CancellationTokenSource cts = new(Patience);
        options = options with { Prefix = "tlstest", ConnectTimeout = ConnectTimeout };
        Stopwatch watch = Stopwatch.StartNew();
        await using AgentBus responder = await AgentBus.ConnectAsync("responder", options, cts.Token);
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options, cts.Token);
        output.WriteLine($"{watch.ElapsedMilliseconds} ms to connect two buses over {options.Url}");
        await using AgentSubscription serving = await responder.SubscribeToMeAsync(
            (envelope, context) => context.ReplyAsync(JsonDocument.Parse("\"pong\"").RootElement.Clone()),
            cancellationToken: cts.Token);
        Reply? reply = await caller.QueryAndWaitAsync("responder", "ping?", timeout: TimeSpan.FromSeconds(20), cancellationToken: cts.Token);
        Assert.Equal("pong", reply?.Data?.GetString());
    }
}
