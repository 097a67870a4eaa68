using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// Creates or checks the streams of durable work (the work queue, the parked messages): looked up first, created when
/// missing and the SDK manages them, never deleted, recreated or updated (a recreated work stream's consumers would
/// deliver again what is still stored).
/// </summary>
internal static class DurableStreams
{
    /// <summary>JetStream's error code for a stream that does not exist.</summary>
    private const int StreamNotFound = 10059;

    /// <summary>JetStream's error code for a stream whose subjects overlap those of another.</summary>
    private const int SubjectsOverlap = 10065;

    /// <summary>JetStream's error code for a stream created under the same name with another configuration.</summary>
    private const int NameInUse = 10058;

    /// <summary>Makes sure the stream <paramref name="wanted"/> describes exists with its retention and its subjects.</summary>
    /// <exception cref="AnaException">It is missing and <paramref name="manage"/> is off, it has another retention or other subjects, or another stream holds its subjects.</exception>
    public static async ValueTask EnsureAsync(INatsJSContext js, StreamConfig wanted, bool manage, CancellationToken cancellationToken)
    {
        string subject = wanted.Subjects!.First();
        try
        {
            INatsJSStream existing = await js.GetStreamAsync(wanted.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
            Check(existing.Info.Config, wanted);
            return;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            if (!manage)
            {
                throw new AnaException(
                    AnaErrorCodes.Unavailable,
                    $"The stream '{wanted.Name}' does not exist, and DurableOptions.Manage is off: create it as docs/durable.md shows (subjects '{subject}', retention {wanted.Retention.ToString().ToLowerInvariant()}).");
            }
        }

        try
        {
            await js.CreateStreamAsync(wanted, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == SubjectsOverlap)
        {
            List<string> holders = await OtherStreamsAsync(js, subject, cancellationToken).ConfigureAwait(false);
            if (holders.Contains(wanted.Name!))
            {
                // Created meanwhile by another server of the fleet: 2.9 can say "subjects overlap" rather than "name in use".
                INatsJSStream created = await js.GetStreamAsync(wanted.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
                Check(created.Info.Config, wanted);
                return;
            }

            string others = string.Join(", ", holders);
            throw new AnaException(
                AnaErrorCodes.Unavailable,
                $"The stream '{wanted.Name}' cannot be created: its subjects '{subject}' overlap those of the stream '{others}'. Narrow that stream's subjects so that it leaves the subjects of durable work alone.");
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
        if (found.Retention != wanted.Retention || found.Subjects is null || !found.Subjects.Contains(subject))
        {
            throw new AnaException(
                AnaErrorCodes.Unavailable,
                $"The stream '{wanted.Name}' exists but is not the one docs/durable.md describes: it needs retention {wanted.Retention.ToString().ToLowerInvariant()} (it has {found.Retention.ToString().ToLowerInvariant()}) and the subjects '{subject}' (it has '{string.Join("', '", found.Subjects ?? [])}').");
        }
    }

    /// <summary>The streams that hold a subject matching <paramref name="wildcard"/> (its wildcards replaced by a token).</summary>
    private static async ValueTask<List<string>> OtherStreamsAsync(INatsJSContext js, string wildcard, CancellationToken cancellationToken)
    {
        List<string> names = [];
        string probe = wildcard.Replace("*", "a", StringComparison.Ordinal).Replace(">", "a", StringComparison.Ordinal);
        await foreach (string name in js.ListStreamNamesAsync(probe, cancellationToken).ConfigureAwait(false))
        {
            names.Add(name);
        }

        return names.Count == 0 ? ["(unknown)"] : names;
    }
}
