namespace Ana.Testing.Skipping;

/// <summary>A fact that needs a nats-server: skipped when <c>ANA_SKIP_NATS=1</c>.</summary>
public sealed class NatsFactAttribute : FactAttribute
{
    public NatsFactAttribute()
    {
        if (NatsSkip.Requested)
        {
            Skip = NatsSkip.Reason;
        }
    }
}
