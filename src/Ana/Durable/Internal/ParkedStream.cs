using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// The stream of a prefix's parked messages (docs/durable.md, "Parked work"): limits retention over
/// <c>&lt;prefix&gt;.*.parked.&gt;</c>, file storage, kept for <see cref="DurableOptions.ParkedMaxAge"/> (for ever by
/// default), so that an operator can look at, replay or drop what the agents' servers gave up on.
/// </summary>
internal static class ParkedStream
{
    /// <summary>The configuration the SDK creates the parked stream of <paramref name="prefix"/> with.</summary>
    public static StreamConfig Config(string prefix, DurableOptions options)
        => new(DurableNames.ParkedStream(prefix), [DurableNames.ParkedSubjects(prefix)])
        {
            Retention = StreamConfigRetention.Limits,
            Storage = StreamConfigStorage.File,
            DuplicateWindow = options.ParkedMaxAge is { } age && age < options.DuplicateWindow ? age : options.DuplicateWindow,
            MaxAge = options.ParkedMaxAge ?? TimeSpan.Zero,
            Description = $"Ana parked work of the agents under '{prefix}'",
        };

    /// <summary>Makes sure the parked stream of <paramref name="prefix"/> exists: creates it, or checks it.</summary>
    /// <exception cref="AnaException">It is missing and the SDK may not create it, it is not the parked stream, or another stream holds its subjects.</exception>
    public static ValueTask EnsureAsync(INatsJSContext js, string prefix, DurableOptions options, CancellationToken cancellationToken)
        => DurableStreams.EnsureAsync(js, Config(prefix, options), options.Manage, cancellationToken);
}
