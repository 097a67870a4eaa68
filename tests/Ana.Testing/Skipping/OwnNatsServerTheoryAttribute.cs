namespace Ana.Testing.Skipping;

/// <summary>A theory that starts a nats-server of its own: skipped as <see cref="OwnNatsServerFactAttribute"/> is.</summary>
public sealed class OwnNatsServerTheoryAttribute : TheoryAttribute
{
    public OwnNatsServerTheoryAttribute() => Skip = NatsSkip.OwnServerSkip;
}
