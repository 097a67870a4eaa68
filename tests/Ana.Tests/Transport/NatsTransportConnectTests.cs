using System.Net;
using System.Net.Sockets;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Ana.Transport.Nats;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

/// <summary>
/// Connection failures: no server needed (these only use 127.0.0.1 ports of their own). Each failure must end the
/// attempt well inside <see cref="Patience"/>, where a connect timeout far beyond it could not.
/// </summary>
public sealed class NatsTransportConnectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [NatsFact]
    public async Task Connecting_where_nothing_listens_fails_fast_with_a_clear_exception()
    {
        int port = LoopbackPorts.Free();

        AnaConnectionException ex = await Assert.ThrowsAsync<AnaConnectionException>(
            () => ConnectAsync(port, TimeSpan.FromMinutes(10), CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Could not connect to NATS", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [NatsFact]
    public async Task A_server_that_never_speaks_fails_within_the_connect_timeout()
    {
        using TcpListener silent = SilentServer();

        await Assert.ThrowsAsync<AnaConnectionException>(
            () => ConnectAsync(((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMilliseconds(500), CancellationToken.None));
    }

    [NatsFact]
    public async Task Connecting_respects_the_cancellation_token()
    {
        using TcpListener silent = SilentServer();
        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ConnectAsync(((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMinutes(10), cts.Token));
    }

    private static Task<NatsTransport> ConnectAsync(int port, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = connectTimeout,
        });
        return NatsTransport.ConnectAsync(opts, new RecordingLogger(), cancellationToken).AsTask().WaitAsync(Patience);
    }

    /// <summary>A listener that accepts connections and never says a word.</summary>
    private static TcpListener SilentServer()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
