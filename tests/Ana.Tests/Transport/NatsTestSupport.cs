using Ana.Testing.Logging;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

/// <summary>Connections to a nats-server for the NATS transport tests.</summary>
internal static class NatsTestSupport
{
    /// <summary>How long a test waits for something that should come at once: generous, for a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    public static async Task<NatsTransport> ConnectAsync(string url, ILogger? logger = null, Func<NatsOpts, NatsOpts>? configure = null)
    {
        NatsOpts opts = NatsOptionsFactory.Create(new AgentBusOptions { Url = url }, "ana-tests");
        if (configure is not null)
        {
            opts = configure(opts);
        }

        using CancellationTokenSource cts = new(Timeout);
        return await NatsTransport.ConnectAsync(opts, logger ?? new RecordingLogger(), cts.Token);
    }
}
