using System.ComponentModel;

namespace Ana.Contracts.Infrastructure;

/// <summary>A durable method of a contract (<see cref="AnaDurableAttribute"/>), as the generator registers it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DurableTopic
{
    /// <summary>Describes a durable method.</summary>
    /// <param name="topic">The method's topic.</param>
    /// <param name="maxAttempts">How many attempts a stored message gets before it is parked; at least 1.</param>
    /// <param name="retryDelay">The delay before the second attempt of a failed one-way handler; greater than zero.</param>
    /// <param name="oneWay">Whether the method is one-way (its failures are retried) or a call (its failures are replied).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> or <paramref name="retryDelay"/> is out of range.</exception>
    public DurableTopic(string topic, int maxAttempts, TimeSpan retryDelay, bool oneWay)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryDelay, TimeSpan.Zero);
        Topic = topic;
        MaxAttempts = maxAttempts;
        RetryDelay = retryDelay;
        OneWay = oneWay;
    }

    /// <summary>The method's topic.</summary>
    public string Topic { get; }

    /// <summary>How many attempts a stored message gets before it is parked.</summary>
    public int MaxAttempts { get; }

    /// <summary>The delay before the second attempt of a failed one-way handler, doubled for each one after it, capped at a minute.</summary>
    public TimeSpan RetryDelay { get; }

    /// <summary>Whether the method is one-way (a failed handler is retried) or a call (a failed handler's error is its reply).</summary>
    public bool OneWay { get; }

    /// <summary>The method's <see cref="AnaTimeoutAttribute"/>; <see langword="null"/> when it has none (a durable call then waits <see cref="DurableOptions.DefaultCallTimeout"/>).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether <paramref name="other"/> describes the same method the same way.</summary>
    internal bool SameAs(DurableTopic other)
        => string.Equals(Topic, other.Topic, StringComparison.Ordinal) && MaxAttempts == other.MaxAttempts && RetryDelay == other.RetryDelay && OneWay == other.OneWay && Timeout == other.Timeout;
}
