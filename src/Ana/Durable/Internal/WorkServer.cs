using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Ana.Durable;

/// <summary>
/// The durable side of a served contract: at start, the work stream, the parked stream, the completion bucket and one
/// consumer per durable topic are found or created (docs/durable.md, "Create or check"), then one <see cref="WorkPuller"/> per topic feeds the
/// contract's handler slots. Stopped before the contract's dispatcher, so that nothing new is taken while it drains.
/// </summary>
internal sealed class WorkServer : IAsyncDisposable
{
    private readonly WorkPuller[] _pullers;

    private WorkServer(WorkPuller[] pullers) => _pullers = pullers;

    /// <exception cref="AnaException">A stream or consumer is missing and may not be created, or is not what the SDK needs (the message says which).</exception>
    /// <exception cref="AnaPermissionException">The NATS server refused one of the JetStream API requests (the exception names its subject).</exception>
    public static async ValueTask<WorkServer> StartAsync(
        INatsJSContext js, Transport.Nats.NatsTransport transport, string prefix, IReadOnlyList<WorkTopic> topics, InboundDispatcher dispatcher, DurableOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        // A refused JetStream API request is a publish nobody answers: the client gives up after its request timeout,
        // and only the refusal the server sent meanwhile says why.
        (string Subject, string Error)? refused = null;
        using IDisposable watch = transport.WatchPublishRefusals(
            static subject => subject.StartsWith("$JS.API.", StringComparison.Ordinal),
            (subject, error) => refused ??= (subject, error));
        try
        {
            return await StartCheckedAsync(js, transport, prefix, topics, dispatcher, options, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiNoResponseException) when (refused is { } denied)
        {
            throw new AnaPermissionException(
                denied.Subject,
                denied.Error,
                $"The NATS server refused the JetStream request on '{denied.Subject}' ({denied.Error}): the user that serves durable methods needs the rights docs/nats-notes.md lists (\"Durable work\").");
        }
    }

    private static async ValueTask<WorkServer> StartCheckedAsync(
        INatsJSContext js, Transport.Nats.NatsTransport transport, string prefix, IReadOnlyList<WorkTopic> topics, InboundDispatcher dispatcher, DurableOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        await WorkStream.EnsureAsync(js, prefix, options, cancellationToken).ConfigureAwait(false);
        await ParkedStream.EnsureAsync(js, prefix, options, cancellationToken).ConfigureAwait(false);
        CompletionRecords? records = options.CompletionRecords
            ? await CompletionRecords.OpenAsync(js, prefix, options, logger, cancellationToken).ConfigureAwait(false)
            : null;
        string stream = DurableNames.WorkStream(prefix);
        List<WorkPuller> pullers = new(topics.Count);
        try
        {
            foreach (WorkTopic topic in topics)
            {
                string consumer = await WorkConsumer.EnsureAsync(js, stream, topic.Subject, options, logger, cancellationToken).ConfigureAwait(false);
                topic.Bind(consumer, records);
                pullers.Add(await WorkPuller.StartAsync(js, transport, stream, consumer, topic, dispatcher, cancellationToken).ConfigureAwait(false));
                WarnOfShortTimeout(topic, options, logger);
            }
        }
        catch
        {
            await StopAsync(pullers).ConfigureAwait(false);
            throw;
        }

        return new WorkServer([.. pullers]);
    }

    public ValueTask DisposeAsync() => StopAsync(_pullers);

    /// <summary>A durable call whose timeout ends within the consumer's ack wait is never rescued by a redelivery: said once, at start.</summary>
    private static void WarnOfShortTimeout(WorkTopic topic, DurableOptions options, ILogger logger)
    {
        TimeSpan timeout = topic.Settings.Timeout ?? options.DefaultCallTimeout;
        if (!topic.Settings.OneWay && timeout <= topic.AckWait)
        {
            DurableLog.TimeoutWithinAckWait(logger, topic.Subject, timeout, topic.AckWait);
        }
    }

    private static async ValueTask StopAsync(IReadOnlyList<WorkPuller> pullers)
    {
        Task[] stopping = new Task[pullers.Count];
        for (int i = 0; i < pullers.Count; i++)
        {
            stopping[i] = pullers[i].DisposeAsync().AsTask();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }
}
