using Ana.Tests.Infrastructure;

namespace Ana.Cli.Tests.Infrastructure;

/// <summary>A theory that needs a NATS server: skipped when <c>ANA_SKIP_NATS=1</c>.</summary>
public sealed class NatsTheoryAttribute : TheoryAttribute
{
    public NatsTheoryAttribute()
    {
        if (NatsServer.SkipRequested)
        {
            Skip = "ANA_SKIP_NATS=1";
        }
    }
}
