namespace Ana.Testing.Skipping;

/// <summary>
/// The one switch that skips every test needing a nats-server: <c>ANA_SKIP_NATS=1</c>. Tests express the need with
/// <see cref="NatsFactAttribute"/>, <see cref="NatsTheoryAttribute"/>, <see cref="OwnNatsServerFactAttribute"/>, or
/// (for a suite written once for every transport) <see cref="RequiresNatsAttribute"/> on the class that runs it on NATS.
/// </summary>
public static class NatsSkip
{
    /// <summary>The reason given to skipped tests.</summary>
    public const string Reason = "ANA_SKIP_NATS=1";

    /// <summary>True when <c>ANA_SKIP_NATS=1</c>.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable("ANA_SKIP_NATS") == "1";

    /// <summary>True when <c>ANA_NATS_URL</c> names a running server: the tests then start none of their own.</summary>
    public static bool ExternalServer => Environment.GetEnvironmentVariable("ANA_NATS_URL") is { Length: > 0 };
}
