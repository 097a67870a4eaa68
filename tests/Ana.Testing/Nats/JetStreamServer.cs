namespace Ana.Testing.Nats;

/// <summary>
/// A <c>nats-server -js</c> of a test's own, with file storage in a temporary folder that goes with it: durable work
/// is tested on JetStream as CI runs it (nats-server 2.9.10), never against a shared store.
/// </summary>
public sealed class JetStreamServer : IAsyncDisposable
{
    private readonly string _store;

    private JetStreamServer(NatsServer server, string store)
    {
        Server = server;
        _store = store;
    }

    /// <summary>The server process.</summary>
    public NatsServer Server { get; }

    /// <summary>The server's URL on 127.0.0.1.</summary>
    public string Url => Server.Url;

    /// <summary>Starts <c>nats-server -js -sd &lt;a new temporary folder&gt;</c> on a free port.</summary>
    public static async Task<JetStreamServer> StartAsync()
    {
        string store = Directory.CreateTempSubdirectory("ana-js-").FullName;
        try
        {
            return new JetStreamServer(await NatsServer.StartAsync("-js", "-sd", store).ConfigureAwait(false), store);
        }
        catch
        {
            Directory.Delete(store, recursive: true);
            throw;
        }
    }

    /// <summary>Stops the server and deletes its store.</summary>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_store, recursive: true);
    }
}
