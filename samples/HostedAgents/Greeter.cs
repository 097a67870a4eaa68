using Ana;

namespace HostedAgents;

/// <summary>Serves <see cref="IGreeter"/>; one instance per call (a DI scope), with the clock's client injected.</summary>
internal sealed class Greeter(IClock clock) : IGreeter
{
    public async Task<Greeting> GreetAsync(string name, CancellationToken cancellationToken)
    {
        ClockReading now = await clock.NowAsync(cancellationToken);
        string caller = AnaCallContext.Current?.From ?? "?";
        return new Greeting($"hello {name} (asked by {caller}), it is {now.Utc:HH:mm:ss.fff} UTC");
    }
}
