using Ana.Contracts.Infrastructure;

namespace Ana.Durable;

/// <summary>
/// The query of a durable call: stored in the work stream under the message id <c>&lt;agent&gt;.&lt;topic&gt;.&lt;request id&gt;</c>
/// instead of published with the call's inbox (a JetStream publish's reply-to receives the storage acknowledgement, and a
/// delivered message's reply-to is JetStream's ack subject): its reply comes on the agent's <c>reply</c> subject, where
/// the call listens already. Storage must be confirmed within the call's timeout, or the call fails with
/// <see cref="AnaErrorCodes.NotStored"/>, since its query may or may not be waiting in the stream.
/// </summary>
internal readonly struct StoredQuery(DurablePublisher durable, string? idempotencyKey, CancellationToken caller) : IQuerySender
{
    public string? RequestId => idempotencyKey;

    public ValueTask SendAsync(
        EnvelopePublisher publisher,
        string subject,
        string inbox,
        string to,
        string text,
        IReadOnlyList<string>? fields,
        string requestId,
        in CallData data,
        TimeSpan timeout,
        in QueryExtras extras,
        CancellationToken cancellationToken)
    {
        PooledBufferWriter query = publisher.WriteQuery(to, text, fields, requestId, data, timeout.TotalSeconds, extras);
        return StoreAsync(durable, publisher, subject, DurableNames.MessageId(to, text, requestId), requestId, query, timeout, caller);
    }

    private static async ValueTask StoreAsync(
        DurablePublisher durable, EnvelopePublisher publisher, string subject, string messageId, string requestId, PooledBufferWriter query, TimeSpan within, CancellationToken caller)
    {
        using (query)
        {
            await durable.PublishAsync(subject, messageId, requestId, query.WrittenMemory, within, caller).ConfigureAwait(false);
            publisher.Stored(subject, query.WrittenMemory.Span);
        }
    }
}
