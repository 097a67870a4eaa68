namespace Ana.Tests.Infrastructure;

/// <summary>One <see cref="NatsServer"/> shared by the test classes of the "nats" collection.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    /// <summary>The shared server (started unless ANA_SKIP_NATS=1, in which case the tests are skipped anyway).</summary>
    public NatsServer Server => _server ?? throw new InvalidOperationException("The NATS server was not started (ANA_SKIP_NATS=1?).");

    public string Url => Server.Url;

    public async Task InitializeAsync()
    {
        if (NatsServer.SkipRequested)
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

/// <summary>Test classes marked <c>[Collection("nats")]</c> share one NATS server and run one after another.</summary>
[CollectionDefinition("nats")]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>
{
}

/// <summary>A fact that needs a NATS server: skipped when <c>ANA_SKIP_NATS=1</c>.</summary>
public sealed class NatsFactAttribute : FactAttribute
{
    public NatsFactAttribute()
    {
        if (NatsServer.SkipRequested)
        {
            Skip = "ANA_SKIP_NATS=1";
        }
    }
}

/// <summary>
/// A fact that starts (and may stop or reconfigure) a nats-server of its own: skipped when <c>ANA_SKIP_NATS=1</c>,
/// and when <c>ANA_NATS_URL</c> is set (then no server is started by the tests).
/// </summary>
public sealed class OwnNatsServerFactAttribute : FactAttribute
{
    public OwnNatsServerFactAttribute()
    {
        if (NatsServer.SkipRequested)
        {
            Skip = "ANA_SKIP_NATS=1";
        }
        else if (NatsServer.ExternalUrl is not null)
        {
            Skip = "needs a nats-server of its own, and ANA_NATS_URL is set";
        }
    }
}
