using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// The durable pull consumer of one (agent, topic) on the work stream, shared by every server of the agent: the
/// JetStream counterpart of the queue group (docs/durable.md, "Consumers"). Created when missing, never deleted or
/// recreated (a recreated consumer on a work-queue stream delivers again what is still stored), never updated to another
/// filter (that would take another agent's work).
/// </summary>
internal static class WorkConsumer
{
    /// <summary>JetStream's error code for a consumer that does not exist.</summary>
    private const int ConsumerNotFound = 10014;

    /// <summary>
    /// The consumer's name: <c>ana_</c> and the SHA-256 of its filter subject in lower-case base32, so that no two
    /// (agent, topic) pairs share one and the name is a single token and a file name on any system, whatever characters
    /// the agent and topic hold.
    /// </summary>
    public static string Name(string filterSubject) => "ana_" + DurableNames.Hash(filterSubject);

    /// <summary>The configuration the SDK creates the consumer of <paramref name="filterSubject"/> with.</summary>
    public static ConsumerConfig Config(string filterSubject, DurableOptions options)
    {
        string name = Name(filterSubject);
        return new ConsumerConfig(name)
        {
            DurableName = name,
            Description = filterSubject,
            FilterSubject = filterSubject,
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            AckWait = options.AckWait,

            // Attempts are counted by the SDK: a message JetStream stopped delivering would stay in the stream for good.
            MaxDeliver = -1,
            MaxAckPending = options.MaxAckPending,
        };
    }

    /// <summary>Makes sure the consumer of <paramref name="filterSubject"/> exists with that filter; returns its name.</summary>
    /// <exception cref="AnaException">It is missing and the SDK may not create it, or a consumer of that name filters another subject.</exception>
    public static async ValueTask<string> EnsureAsync(
        INatsJSContext js, string stream, string filterSubject, DurableOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ConsumerConfig wanted = Config(filterSubject, options);
        ConsumerConfig? found = await FindAsync(js, stream, wanted.Name!, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            if (!options.Manage)
            {
                throw new AnaException(
                    AnaErrorCodes.Unavailable,
                    $"The consumer '{wanted.Name}' of the stream '{stream}' for '{filterSubject}' does not exist, and DurableOptions.Manage is off: create it as docs/durable.md shows.");
            }

            // Servers starting together all get here: JetStream creates one consumer, the same config again changes nothing.
            await js.CreateOrUpdateConsumerAsync(stream, wanted, cancellationToken).ConfigureAwait(false);
            found = await FindAsync(js, stream, wanted.Name!, cancellationToken).ConfigureAwait(false) ?? wanted;
        }

        if (found.FilterSubject != filterSubject)
        {
            throw new AnaException(
                AnaErrorCodes.Unavailable,
                $"The consumer '{wanted.Name}' of the stream '{stream}' filters '{found.FilterSubject}', not '{filterSubject}': it is not this agent's, and it is left as it is.");
        }

        List<string> differences = Differences(found, wanted);
        if (differences.Count > 0)
        {
            if (options.UpdateServerConfig)
            {
                await js.UpdateConsumerAsync(stream, wanted, cancellationToken).ConfigureAwait(false);
                DurableLog.ConsumerUpdated(logger, wanted.Name!, string.Join(", ", differences));
            }
            else
            {
                DurableLog.ConsumerDiffers(logger, wanted.Name!, filterSubject, string.Join(", ", differences));
            }
        }

        return wanted.Name!;
    }

    private static async ValueTask<ConsumerConfig?> FindAsync(INatsJSContext js, string stream, string name, CancellationToken cancellationToken)
    {
        try
        {
            INatsJSConsumer consumer = await js.GetConsumerAsync(stream, name, cancellationToken).ConfigureAwait(false);
            return consumer.Info.Config;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == ConsumerNotFound)
        {
            return null;
        }
    }

    /// <summary>The settings of <paramref name="found"/> that are not those the SDK would create, as <c>name: found (wanted)</c>.</summary>
    private static List<string> Differences(ConsumerConfig found, ConsumerConfig wanted)
    {
        List<string> differences = [];
        Compare("ack_policy", found.AckPolicy, wanted.AckPolicy);
        Compare("ack_wait", found.AckWait, wanted.AckWait);
        Compare("max_deliver", found.MaxDeliver, wanted.MaxDeliver);
        Compare("max_ack_pending", found.MaxAckPending, wanted.MaxAckPending);
        return differences;

        void Compare<T>(string name, T actual, T expected)
        {
            if (!EqualityComparer<T>.Default.Equals(actual, expected))
            {
                differences.Add($"{name}: {actual} ({expected})");
            }
        }
    }
}
