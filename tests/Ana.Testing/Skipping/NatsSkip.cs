namespace Ana.Testing.Skipping;

/// <summary>
/// The one switch that skips every test needing a nats-server: <c>ANA_SKIP_NATS=1</c>. Tests express the need with
/// <see cref="NatsFactAttribute"/>, <see cref="NatsTheoryAttribute"/>, <see cref="OwnNatsServerFactAttribute"/>,
/// <see cref="OwnNatsServerTheoryAttribute"/>, or
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

    /// <summary>Why a test that starts a nats-server of its own is skipped, or <see langword="null"/> when it runs.</summary>
    public static string? OwnServerSkip
        => Requested ? Reason : ExternalServer ? "needs a nats-server of its own, and ANA_NATS_URL is set" : null;
}
