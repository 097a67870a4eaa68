using System.Text.Json;

namespace Ana;

/// <summary>
/// What a handler needs to answer the envelope it was given: where it came from, and <see cref="ReplyAsync"/>,
/// <see cref="ReplyErrorAsync"/> and <see cref="AckAsync"/> that route the answer the way the caller waits for it.
/// </summary>
public sealed class InboundContext
{
    private readonly Responder _responder;
    private int _replied;

    internal InboundContext(Responder responder, Envelope envelope, string subject, string? replyTo, CancellationToken cancellationToken)
    {
        _responder = responder;
        Envelope = envelope;
        Subject = subject;
        ReplyTo = replyTo;
        CancellationToken = cancellationToken;
    }

    /// <summary>The envelope being handled.</summary>
    public Envelope Envelope { get; }

    /// <summary>The subject it arrived on.</summary>
    public string Subject { get; }

    /// <summary>The NATS reply inbox the sender set, if any.</summary>
    public string? ReplyTo { get; }

    /// <summary>
    /// Cancelled when the sender stops waiting (the query's <c>timeout_s</c> has passed) or when the subscription stops.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Whether a reply has been sent for this envelope.</summary>
    public bool HasReplied => Volatile.Read(ref _replied) != 0;

    /// <summary>The error of the reply sent, when it was an error reply (for the call's span, metrics and statistics).</summary>
    internal ReplyError? Error { get; private set; }

    /// <summary>
    /// The call's outcome as an error code, for its span, metrics and statistics: the code of the error reply sent
    /// (whoever sent it: the method's exception, a filter, the dispatcher's <c>bad_request</c>); else what the handler
    /// threw (a cancellation by the caller's deadline is a <c>timeout</c>); else <see langword="null"/>, a success.
    /// </summary>
    internal static string? OutcomeOf(InboundContext? context, Exception? failure)
        => context?.Error?.Code ?? failure switch
        {
            null => null,
            OperationCanceledException when context?.CancellationToken.IsCancellationRequested == true => AnaErrorCodes.Timeout,
            _ => Telemetry.CallSpans.ErrorTypeOf(failure),
        };

    /// <summary>Replies to the query with <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    public ValueTask ReplyAsync(JsonElement? data, CancellationToken cancellationToken = default)
        => SendReplyAsync(data, error: null, cancellationToken);

    /// <summary>Replies to the query with an error that the caller sees as <see cref="ReplyError"/>.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    public ValueTask ReplyErrorAsync(string code, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        return SendReplyAsync(data: null, new ReplyError { Code = code, Message = message }, cancellationToken);
    }

    /// <summary>Acknowledges the query on this agent's <c>ack</c> subject.</summary>
    public ValueTask AckAsync(bool alive = true, CancellationToken cancellationToken = default)
        => _responder.AckAsync(this, alive, cancellationToken);

    private ValueTask SendReplyAsync(JsonElement? data, ReplyError? error, CancellationToken cancellationToken)
    {
        if (Envelope is not Query query)
        {
            throw new InvalidOperationException($"Only a query can be replied to; this is a {Envelope.Type} envelope.");
        }

        if (Interlocked.Exchange(ref _replied, 1) != 0)
        {
            throw new InvalidOperationException("This query has been replied to already.");
        }

        Error = error;
        return _responder.ReplyAsync(this, query, data, error, cancellationToken);
    }
}
