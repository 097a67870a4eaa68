using System.Globalization;
using System.Text.Json;

namespace Ana.Testing.Nats;

/// <summary>
/// Reads a nats-server's HTTP monitoring endpoints (the server started with <c>-m PORT</c>; with <c>-a 127.0.0.1</c> it
/// listens on loopback only): <c>/varz</c> (totals, e.g. <c>subscriptions</c>), <c>/subsz</c>, <c>/connz</c>, <c>/routez</c>.
/// </summary>
public static class NatsMonitor
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>GETs <c>http://127.0.0.1:PORT/ENDPOINT</c> and parses it.</summary>
    public static async Task<JsonDocument> GetAsync(int port, string endpoint, CancellationToken cancellationToken = default)
    {
        string url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{endpoint.TrimStart('/')}");
        using HttpResponseMessage response = await Http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's number of subscriptions (<c>/varz</c> <c>subscriptions</c>): every client's, routes' included.</summary>
    public static async Task<long> SubscriptionsAsync(int port, CancellationToken cancellationToken = default)
    {
        using JsonDocument varz = await GetAsync(port, "varz", cancellationToken).ConfigureAwait(false);
        return varz.RootElement.GetProperty("subscriptions").GetInt64();
    }

    /// <summary>Starts a <see cref="NatsServer"/> with its monitoring port (<c>-m</c>) on a free loopback port.</summary>
    public static async Task<(NatsServer Server, int MonitorPort)> StartMonitoredServerAsync(params string[] extraArgs)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = LoopbackPorts.Free();
            try
            {
                return (await NatsServer.StartAsync(["-m", port.ToString(CultureInfo.InvariantCulture), .. extraArgs]).ConfigureAwait(false), port);
            }
            catch (NatsServerStartException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }
}
