using Ana.Transport.Memory;
using Ana.Transport.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Transport;

/// <summary>Picks the transport that <see cref="AgentBusOptions.Url"/> names and connects it.</summary>
internal static class TransportFactory
{
    public const string MemoryScheme = "memory://";

    public static async ValueTask<ITransport> ConnectAsync(string identity, AgentBusOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Url, "options.Url");
        NatsOptionsFactory.ValidateReconnect(options); // on memory:// too: a setting that fails on NATS fails the same in tests
        if (options.Url.StartsWith(MemoryScheme, StringComparison.OrdinalIgnoreCase))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = options.Url[MemoryScheme.Length..];
            return new MemoryTransport(name.Length == 0 ? "default" : name);
        }

        NatsOpts opts = NatsOptionsFactory.Create(options, connectionName: identity);

        // The client's lines and the transport's (which repeat the client's event texts) mask the user info of URLs.
        UrlRedactingLoggerFactory redacting = new(loggers);
        opts = opts with { LoggerFactory = redacting };
        if (options.ConfigureNats is { } configure)
        {
            opts = configure(opts);
        }

        return await NatsTransport.ConnectAsync(opts, redacting.CreateLogger("Ana.Transport.Nats"), cancellationToken).ConfigureAwait(false);
    }
}
