using Ana.Contracts.Infrastructure;

namespace Ana;

/// <summary>How the query of a call that waits for its reply reaches its agent (see <see cref="RequestReply"/>).</summary>
internal interface IQuerySender
{
    /// <summary>The request id the call must have (a durable call's idempotency key), or <see langword="null"/> for a new one.</summary>
    string? RequestId { get; }

    /// <summary>Sends the query of the call <paramref name="requestId"/>, whose reply comes to <paramref name="inbox"/> or the agent's reply subject.</summary>
    ValueTask SendAsync(
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
        CancellationToken cancellationToken);
}

/// <summary>A query published to whoever serves its subject now, with the call's inbox as its reply-to.</summary>
internal readonly struct PublishedQuery : IQuerySender
{
    public string? RequestId => null;

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
        => publisher.PublishQueryAsync(subject, inbox, to, text, fields, requestId, data, timeout.TotalSeconds, extras, cancellationToken);
}
