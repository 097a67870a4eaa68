using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// The work-queue stream of a prefix (docs/durable.md): created when missing and the SDK manages it, otherwise checked;
/// an existing stream is never deleted or recreated (a recreated consumer would deliver again what is still stored).
/// </summary>
internal static class WorkStream
{
    /// <summary>JetStream's error code for a stream that does not exist.</summary>
    private const int StreamNotFound = 10059;

    /// <summary>JetStream's error code for a stream whose subjects overlap those of another.</summary>
    private const int SubjectsOverlap = 10065;

    /// <summary>JetStream's error code for a stream created under the same name with another configuration.</summary>
    private const int NameInUse = 10058;

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
    public static async ValueTask EnsureAsync(INatsJSContext js, string prefix, DurableOptions options, CancellationToken cancellationToken)
    {
        StreamConfig wanted = Config(prefix, options);
        try
        {
            INatsJSStream existing = await js.GetStreamAsync(wanted.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
            Check(existing.Info.Config, wanted);
            return;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            if (!options.Manage)
            {
                throw new AnaException(
                    AnaErrorCodes.Unavailable,
                    $"The work stream '{wanted.Name}' does not exist, and DurableOptions.Manage is off: create it as docs/durable.md shows (subjects '{DurableNames.WorkSubjects(prefix)}', retention workqueue).");
            }
        }

        try
        {
            await js.CreateStreamAsync(wanted, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == SubjectsOverlap)
        {
            string others = string.Join(", ", await OtherStreamsAsync(js, prefix, cancellationToken).ConfigureAwait(false));
            throw new AnaException(
                AnaErrorCodes.Unavailable,
                $"The work stream '{wanted.Name}' cannot be created: its subjects '{DurableNames.WorkSubjects(prefix)}' overlap those of the stream '{others}'. Narrow that stream's subjects so that it leaves the work subjects alone.");
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == NameInUse)
        {
            // Created meanwhile (by another server of the fleet, with other limits): check it as if it had been there.
            INatsJSStream created = await js.GetStreamAsync(wanted.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
            Check(created.Info.Config, wanted);
        }
    }

    private static void Check(StreamConfig found, StreamConfig wanted)
    {
        string subject = wanted.Subjects!.First();
        if (found.Retention != StreamConfigRetention.Workqueue || found.Subjects is null || !found.Subjects.Contains(subject))
        {
            throw new AnaException(
                AnaErrorCodes.Unavailable,
                $"The stream '{wanted.Name}' exists but is not the work stream docs/durable.md describes: it needs retention workqueue (it has {found.Retention}) and the subjects '{subject}' (it has '{string.Join("', '", found.Subjects ?? [])}').");
        }
    }

    private static async ValueTask<List<string>> OtherStreamsAsync(INatsJSContext js, string prefix, CancellationToken cancellationToken)
    {
        List<string> names = [];
        await foreach (string name in js.ListStreamNamesAsync(prefix + ".a.work.a", cancellationToken).ConfigureAwait(false))
        {
            names.Add(name);
        }

        return names.Count == 0 ? ["(unknown)"] : names;
    }
}
