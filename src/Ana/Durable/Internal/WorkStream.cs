using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// The work-queue stream of a prefix (docs/durable.md): created when missing and the SDK manages it, otherwise checked;
/// an existing stream is never deleted or recreated (a recreated consumer would deliver again what is still stored).
/// </summary>
internal static class WorkStream
{
    /// <summary>The configuration the SDK creates the work stream of <paramref name="prefix"/> with.</summary>
    public static StreamConfig Config(string prefix, DurableOptions options)
    {
        if (options.MaxAge < options.DuplicateWindow)
        {
            throw new ArgumentException(
                $"DurableOptions.MaxAge ({options.MaxAge}) must be at least DuplicateWindow ({options.DuplicateWindow}): JetStream refuses a stream that forgets messages sooner than it deduplicates them.",
                nameof(options));
        }

        return new StreamConfig(DurableNames.WorkStream(prefix), [DurableNames.WorkSubjects(prefix)])
        {
            Retention = StreamConfigRetention.Workqueue,
            Storage = StreamConfigStorage.File,
            Discard = StreamConfigDiscard.New,
            DuplicateWindow = options.DuplicateWindow,
            MaxAge = options.MaxAge,
            MaxBytes = options.MaxBytes ?? -1,
            Description = $"Ana durable work of the agents under '{prefix}'",
        };
    }

    /// <summary>Makes sure the work stream of <paramref name="prefix"/> exists and is one: creates it, or checks it.</summary>
    /// <exception cref="AnaException">It is missing and the SDK may not create it, it is not a work queue over the work subjects, or another stream holds those subjects.</exception>
    public static ValueTask EnsureAsync(INatsJSContext js, string prefix, DurableOptions options, CancellationToken cancellationToken)
        => DurableStreams.EnsureAsync(js, Config(prefix, options), options.Manage, cancellationToken);
}
