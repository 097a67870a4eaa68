using Ana.Contracts;

namespace HostedAgents;

/// <summary>The greeter agent: greets by name, with the time its colleague, the clock, tells it.</summary>
[AnaAgent("greeter")]
public partial interface IGreeter
{
    /// <summary>A greeting for <paramref name="name"/>; data <c>{"name": "..."}</c> on topic <c>greet</c>.</summary>
    Task<Greeting> GreetAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>The clock agent: tells the time.</summary>
[AnaAgent("clock")]
public partial interface IClock
{
    /// <summary>The current UTC time; topic <c>now</c>.</summary>
    Task<ClockReading> NowAsync(CancellationToken cancellationToken = default);
}

public sealed record Greeting(string Text);

public sealed record ClockReading(DateTimeOffset Utc);
