namespace Ana.Testing.Skipping;

/// <summary>
/// A fact that starts (and may stop or reconfigure) a nats-server of its own: skipped when <c>ANA_SKIP_NATS=1</c>,
/// and when <c>ANA_NATS_URL</c> is set (then no server is started by the tests).
/// </summary>
public sealed class OwnNatsServerFactAttribute : FactAttribute
{
    public OwnNatsServerFactAttribute() => Skip = NatsSkip.OwnServerSkip;
}
