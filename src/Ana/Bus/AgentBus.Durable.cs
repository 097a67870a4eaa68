using System.Text.Json;
using Ana.Durable;

namespace Ana;

public sealed partial class AgentBus
{
    private DurablePublisher? _durable;

    /// <summary>
    /// Publishes a durable one-way message to <paramref name="agent"/>'s <paramref name="topic"/>: a <c>query</c>
    /// envelope on <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>, stored by the prefix's JetStream work stream until
    /// one of the agent's servers takes it, even when none runs now. Returns once JetStream has confirmed storage.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="idempotencyKey"/> each call stores a new message; with one, the message's request id is
    /// the key and JetStream stores it once within the stream's duplicate window (<see cref="DurableOptions.DuplicateWindow"/>),
    /// so a caller may publish it again after <c>not_stored</c>, or after its own restart. The caller makes no JetStream
    /// API request: the work stream is created by the agent's servers or by an operator (docs/durable.md).
    /// </remarks>
    /// <param name="agent">The agent the message is for.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="data">The message's <c>data</c> (a contract method's arguments).</param>
    /// <param name="idempotencyKey">The request id to store the message under, <c>[A-Za-z0-9_-]{1,64}</c>; a new one when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the message may have been stored.</param>
    /// <returns>The stream, its sequence number and whether it was a duplicate.</returns>
    /// <exception cref="ArgumentException"><paramref name="agent"/> or <paramref name="topic"/> is not valid, or <paramref name="idempotencyKey"/> is not of the allowed form.</exception>
    /// <exception cref="AnaException">
    /// <c>jetstream_unavailable</c>: the server runs without JetStream (or the bus is on <c>memory://</c>); <c>not_stored</c>:
    /// no stream stores the subject, JetStream refused the message, or it did not confirm storage within
    /// <see cref="DurableOptions.PublishTimeout"/>; <see cref="AnaPermissionException"/>: the server refused the publish
    /// (the user may not publish on the work subject), said once the wait for JetStream's answer ends.
    /// </exception>
    public async ValueTask<DurableReceipt> EnqueueDurableAsync(
        string agent, string topic, JsonElement? data = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        string subject = Subjects.Build(agent, SubjectVerb.Work, topic);
        if (idempotencyKey is not null && !DurableNames.IsIdempotencyKey(idempotencyKey))
        {
            throw new ArgumentException($"The idempotency key '{idempotencyKey}' is not valid: 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.", nameof(idempotencyKey));
        }

        DurablePublisher publisher = Durable();
        Query query = _calls.NewQuery(agent, topic, data, fields: null);
        if (idempotencyKey is not null)
        {
            query = query with { RequestId = idempotencyKey };
        }

        string requestId = query.RequestId!;
        return await publisher.PublishAsync(
            subject,
            DurableNames.MessageId(agent, topic, requestId),
            requestId,
            EnvelopeSerializer.SerializeToUtf8Bytes(query),
            Options.Durable.PublishTimeout,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bus's JetStream publisher; <c>jetstream_unavailable</c> at once when there is no JetStream to publish to.</summary>
    internal DurablePublisher Durable()
    {
        if (_durable is { } publisher)
        {
            return publisher;
        }

        if (_transport is not Transport.Nats.NatsTransport nats)
        {
            throw new AnaException(AnaErrorCodes.JetStreamUnavailable, "Durable work needs JetStream on a NATS server; memory:// has none. Use --nats / AgentBusOptions.Url with a server started with -js.");
        }

        if (nats.Connection.ServerInfo is { JetStreamAvailable: false })
        {
            throw new AnaException(AnaErrorCodes.JetStreamUnavailable, "The NATS server runs without JetStream (start it with -js, or enable JetStream for the account): durable work cannot be stored.");
        }

        Interlocked.CompareExchange(ref _durable, new DurablePublisher(nats), null);
        return _durable;
    }
}
