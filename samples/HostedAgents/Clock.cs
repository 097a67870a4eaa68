namespace HostedAgents;

/// <summary>Serves <see cref="IClock"/>.</summary>
internal sealed class Clock : IClock
{
    public Task<ClockReading> NowAsync(CancellationToken cancellationToken) => Task.FromResult(new ClockReading(DateTimeOffset.UtcNow));
}
