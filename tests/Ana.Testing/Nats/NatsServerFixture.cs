using Ana.Testing.Skipping;

namespace Ana.Testing.Nats;

/// <summary>
/// One <see cref="NatsServer"/> shared by the test classes of a collection: a test project declares
/// <c>[CollectionDefinition("nats")] class NatsCollection : ICollectionFixture&lt;NatsServerFixture&gt;</c>
/// (xunit finds collection definitions only in the test assembly itself).
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    /// <summary>The shared server (started unless ANA_SKIP_NATS=1, in which case the tests are skipped anyway).</summary>
    public NatsServer Server => _server ?? throw new InvalidOperationException("The NATS server was not started (ANA_SKIP_NATS=1?).");

    public string Url => Server.Url;

    public async Task InitializeAsync()
    {
        if (NatsSkip.Requested)
        {
            return;
        }

        _server = await NatsServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
