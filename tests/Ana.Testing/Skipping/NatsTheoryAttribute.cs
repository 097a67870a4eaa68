namespace Ana.Testing.Skipping;

/// <summary>A theory that needs a nats-server: skipped when <c>ANA_SKIP_NATS=1</c>.</summary>
public sealed class NatsTheoryAttribute : TheoryAttribute
{
    public NatsTheoryAttribute()
    {
        if (NatsSkip.Requested)
        {
            Skip = NatsSkip.Reason;
        }
    }
}
