using System.Globalization;
using System.Runtime.CompilerServices;
using Ana.Durable;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana;

/// <summary>
/// The operator's view of a prefix's durable work (<see cref="AgentBus.DurableWork"/>): the parked messages, which it
/// lists, shows, replays and drops, and the state of the streams and consumers. What <c>ana parked</c> and
/// <c>ana durable status</c> print. Reading changes nothing; it needs the JetStream rights docs/nats-notes.md lists for
/// operators.
/// </summary>
public sealed class DurableWork
{
    /// <summary>JetStream's error code for a stream that does not exist.</summary>
    private const int StreamNotFound = 10059;

    /// <summary>JetStream's error code for a message that is not in the stream.</summary>
    private const int NoMessageFound = 10037;

    private readonly AgentBus _bus;

    internal DurableWork(AgentBus bus) => _bus = bus;

    private string Prefix => _bus.Subjects.Prefix;

    /// <summary>The parked messages, oldest first; those of <paramref name="agent"/> only when it is given.</summary>
    /// <param name="agent">The agent whose parked messages to list; every agent's when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c>: the server runs without JetStream, or the bus is on <c>memory://</c>.</exception>
    public async IAsyncEnumerable<ParkedMessage> ListParkedAsync(string? agent = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string filter = agent is null ? DurableNames.ParkedSubjects(Prefix) : _bus.Subjects.Build(agent, SubjectVerb.Parked) + ".>";
        INatsJSStream? stream = await FindStreamAsync(DurableNames.ParkedStream(Prefix), cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            yield break;
        }

        ulong next = 1;
        while (await ReadAsync(stream, new StreamMsgGetRequest { Seq = next, NextBySubj = filter }, cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
            next = message.Sequence + 1;
        }
    }

    /// <summary>The parked message <paramref name="sequence"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="sequence">Its sequence number in the parked stream (<see cref="ParkedMessage.Sequence"/>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c>, as for <see cref="ListParkedAsync"/>.</exception>
    public async ValueTask<ParkedMessage?> GetParkedAsync(ulong sequence, CancellationToken cancellationToken = default)
    {
        INatsJSStream? stream = await FindStreamAsync(DurableNames.ParkedStream(Prefix), cancellationToken).ConfigureAwait(false);
        return stream is null ? null : await ReadAsync(stream, new StreamMsgGetRequest { Seq = sequence }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the parked message <paramref name="sequence"/> again on its work subject, for the agent's servers to take
    /// (with a fresh count of attempts), then removes it from the parked stream once JetStream confirmed the new storage.
    /// Replayed twice within the work stream's duplicate window, it is stored once (message id <c>replay-&lt;sequence&gt;</c>).
    /// </summary>
    /// <param name="sequence">Its sequence number in the parked stream.</param>
    /// <param name="cancellationToken">Stops waiting; the message may have been stored again, and stays parked.</param>
    /// <returns>JetStream's receipt for the new storage.</returns>
    /// <exception cref="AnaException">
    /// <c>not_found</c>: no parked message has that sequence number; <c>not_stored</c>: the work stream did not store it
    /// (it stays parked); <c>jetstream_unavailable</c>, as for <see cref="ListParkedAsync"/>.
    /// </exception>
    public async ValueTask<DurableReceipt> ReplayParkedAsync(ulong sequence, CancellationToken cancellationToken = default)
    {
        ParkedMessage parked = await GetParkedAsync(sequence, cancellationToken).ConfigureAwait(false)
            ?? throw new AnaException(AnaErrorCodes.NotFound, $"No parked message has the sequence number {sequence} in '{DurableNames.ParkedStream(Prefix)}'.");
        string requestId = RequestIdOf(parked.Envelope) ?? DurableNames.ReplayMessageId(sequence);
        DurableReceipt receipt = await _bus.Durable().PublishAsync(
            parked.OriginalSubject, DurableNames.ReplayMessageId(sequence), requestId, parked.Envelope, _bus.Options.Durable.PublishTimeout, cancellationToken).ConfigureAwait(false);
        await DropParkedAsync(sequence, cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    /// <summary>Removes the parked message <paramref name="sequence"/> for good.</summary>
    /// <param name="sequence">Its sequence number in the parked stream.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether there was such a message.</returns>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c>, as for <see cref="ListParkedAsync"/>.</exception>
    public async ValueTask<bool> DropParkedAsync(ulong sequence, CancellationToken cancellationToken = default)
    {
        INatsJSContext js = _bus.Durable().JetStream;
        try
        {
            StreamMsgDeleteResponse deleted = await js.DeleteMessageAsync(DurableNames.ParkedStream(Prefix), new StreamMsgDeleteRequest { Seq = sequence }, cancellationToken).ConfigureAwait(false);
            return deleted.Success;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode is NoMessageFound or StreamNotFound)
        {
            return false;
        }
    }

    /// <summary>The streams of the prefix's durable work and the consumers of its work stream, as JetStream reports them now.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c>, as for <see cref="ListParkedAsync"/>.</exception>
    public async ValueTask<DurableStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        string work = DurableNames.WorkStream(Prefix);
        INatsJSStream? workStream = await FindStreamAsync(work, cancellationToken).ConfigureAwait(false);
        List<DurableStreamStatus> streams = [Status(work, workStream)];
        foreach (string name in new[] { DurableNames.ParkedStream(Prefix), "KV_" + DurableNames.CompletionBucket(Prefix) })
        {
            streams.Add(Status(name, await FindStreamAsync(name, cancellationToken).ConfigureAwait(false)));
        }

        List<DurableConsumerStatus> consumers = [];
        if (workStream is not null)
        {
            await foreach (INatsJSConsumer consumer in workStream.ListConsumersAsync(cancellationToken).ConfigureAwait(false))
            {
                ConsumerInfo info = consumer.Info;
                consumers.Add(new(info.Name, info.Config.FilterSubject ?? "", info.NumPending, info.NumAckPending, info.NumRedelivered, info.NumWaiting));
            }
        }

        consumers.Sort(static (a, b) => string.CompareOrdinal(a.FilterSubject, b.FilterSubject));
        return new DurableStatus(streams, consumers);
    }

    private static DurableStreamStatus Status(string name, INatsJSStream? stream)
        => stream is null ? new(name, false, 0, 0) : new(name, true, stream.Info.State.Messages, stream.Info.State.Bytes);

    private async ValueTask<INatsJSStream?> FindStreamAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _bus.Durable().JetStream.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            return null;
        }
    }

    private async ValueTask<ParkedMessage?> ReadAsync(INatsJSStream stream, StreamMsgGetRequest request, CancellationToken cancellationToken)
    {
        StoredMessage message;
        try
        {
            message = (await stream.GetAsync(request, cancellationToken).ConfigureAwait(false)).Message;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == NoMessageFound)
        {
            return null;
        }

        IReadOnlyDictionary<string, string> headers = ParkedHeaders.Parse(message.Hdrs);
        string original = headers.GetValueOrDefault(ParkedHeaders.Subject, "");
        AgentSubject parkedOn = _bus.Subjects.TryParse(message.Subject, out AgentSubject parsed) ? parsed : default;
        return new ParkedMessage(
            message.Seq,
            parkedOn.Agent ?? "",
            parkedOn.Topic ?? "",
            original,
            ulong.TryParse(headers.GetValueOrDefault(ParkedHeaders.Sequence), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seq) ? seq : 0,
            int.TryParse(headers.GetValueOrDefault(ParkedHeaders.Attempts), NumberStyles.None, CultureInfo.InvariantCulture, out int attempts) ? attempts : 0,
            headers.GetValueOrDefault(ParkedHeaders.ErrorCode, ""),
            headers.GetValueOrDefault(ParkedHeaders.Error, ""),
            DateTimeOffset.TryParse(headers.GetValueOrDefault(ParkedHeaders.StoredAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset storedAt) ? storedAt : null,
            message.Time,
            headers.GetValueOrDefault(ParkedHeaders.By, ""),
            message.Data);
    }

    private static string? RequestIdOf(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            return EnvelopeSerializer.Parse(envelope.Span) is Query query ? query.RequestId : null;
        }
        catch (AnaEnvelopeException)
        {
            return null;
        }
    }
}
