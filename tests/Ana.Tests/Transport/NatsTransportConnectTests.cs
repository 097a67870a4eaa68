using System.Net;
using System.Net.Sockets;
using Ana.Testing.Logging;
using Ana.Testing.Skipping;
using Ana.Transport.Nats;

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
        var port = FreePort();
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromMinutes(10),
        });

        var ex = await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), CancellationToken.None).AsTask().WaitAsync(Patience));

        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Could not connect to NATS", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [NatsFact]
    public async Task A_server_that_never_speaks_fails_within_the_connect_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        });

        await Assert.ThrowsAsync<AnaConnectionException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), CancellationToken.None).AsTask().WaitAsync(Patience));
    }

    [NatsFact]
    public async Task Connecting_respects_the_cancellation_token()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var opts = NatsOptionsFactory.Create(new NatsConnectionSettings
        {
            Url = $"nats://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromMinutes(10),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await NatsTransport.ConnectAsync(opts, new RecordingLogger(), cts.Token).AsTask().WaitAsync(Patience));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
