using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana;

/// <summary>
/// What a handler needs to answer the envelope it was given: where it came from, and <see cref="ReplyAsync"/>,
/// <see cref="ReplyErrorAsync(string, string, CancellationToken)"/> and <see cref="AckAsync"/> that route the answer the way the caller waits for it.
/// </summary>
public sealed class InboundContext
{
    private const string AlreadyReplied = "This query has been replied to already.";

    private readonly Responder _responder;
    private int _replied;
    private int _streaming;
    private long _streamed;
    private IProgressReports? _progress;

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

    /// <summary>The call as its caller can steer it (cancel it, grant stream credit); <see langword="null"/> when it cannot be steered.</summary>
    internal ServedCall? Call { get; init; }

    /// <summary>The call's heartbeat, while it beats (the caller set <c>heartbeat_s</c>); stopped by the reply.</summary>
    internal Heartbeat? Heartbeat { get; set; }

    /// <summary>Whether the reply sent is kept in <see cref="KeptReply"/> (a stored call's, for its completion record).</summary>
    internal bool KeepsReply { get; init; }

    /// <summary>The reply envelope sent, when <see cref="KeepsReply"/>; else <see langword="null"/>.</summary>
    internal byte[]? KeptReply { get; private set; }

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
            OperationCanceledException when context?.Call?.CancelledByCaller == true => AnaErrorCodes.Cancelled,
            OperationCanceledException when context?.CancellationToken.IsCancellationRequested == true => AnaErrorCodes.Timeout,
            _ => Telemetry.CallSpans.ErrorTypeOf(failure),
        };

    /// <summary>Replies to the query with <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    public ValueTask ReplyAsync(JsonElement? data, CancellationToken cancellationToken = default)
        => SendReplyAsync(CallData.Of(data), error: null, cancellationToken);

    /// <summary>
    /// Replies to the query with <paramref name="data"/>, serialized with <paramref name="typeInfo"/> straight into the
    /// reply: no document is built for it first. What generated dispatchers do with a method's result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    /// <exception cref="JsonException"><paramref name="data"/> could not be serialized; nothing was sent, and the query can still be answered.</exception>
    public ValueTask ReplyDataAsync<T>(T data, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return SendReplyAsync(new ResultData<T>(data, typeInfo), error: null, cancellationToken);
    }

    /// <summary>
    /// Answers the query with the items of <paramref name="items"/>, each serialized with <paramref name="typeInfo"/>
    /// straight into a reply of its own (<c>seq</c> 1, 2, …), then a reply that ends the stream (<c>end</c>): what
    /// generated dispatchers do with a method that returns <see cref="IAsyncEnumerable{T}"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Flow control: the caller grants credit (its <c>stream_window</c>, then more as it reads), and
    /// <paramref name="items"/> is not advanced past it, so a slow reader never makes this agent buffer. While it waits
    /// for credit, <see cref="CancellationToken"/> ends the wait: the call's deadline, the caller cancelling or stopping
    /// early, or the subscription stopping. <paramref name="cancellationToken"/> is given to the enumerator.
    /// </para>
    /// <para>
    /// An exception from <paramref name="items"/> ends the stream with an error reply, as a handler's exception answers a
    /// plain call. A caller that did not ask for a stream (a Python peer's <c>query_and_wait</c>, an untyped
    /// <see cref="AgentBus.QueryAndWaitAsync"/>) gets the first item as its reply (<c>null</c> data for an empty stream),
    /// and the enumerator is disposed after it.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    public async ValueTask ReplyStreamAsync<T>(IAsyncEnumerable<T> items, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(typeInfo);
        Query query = Envelope as Query ?? throw new InvalidOperationException($"Only a query can be replied to; this is a {Envelope.Type} envelope.");
        if (HasReplied || Interlocked.Exchange(ref _streaming, 1) != 0)
        {
            throw new InvalidOperationException(AlreadyReplied);
        }

        if (query.StreamWindow is not { } window)
        {
            Volatile.Write(ref _streaming, 0);
            await ReplyFirstAsync(items, typeInfo, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Call is null || ReplyTo is null)
        {
            Volatile.Write(ref _streaming, 0);
            await ReplyErrorAsync(
                AnaErrorCodes.Unavailable,
                ReplyTo is null
                    ? "A stream is sent to the caller's reply inbox, and this query has none."
                    : "This agent cannot stream: the server refused its subscription to callers' stream credit (see the permission block in docs/nats-notes.md).",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        Call.OpenStream(window);
        IAsyncEnumerator<T> enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                await Call.TakeCreditAsync().ConfigureAwait(false);
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                PooledBufferWriter item = _responder.WriteStreamItem(this, query, new ResultData<T>(enumerator.Current, typeInfo), _streamed + 1);
                _streamed++;
                await _responder.SendToInboxAsync(this, item, error: null, cancellationToken).ConfigureAwait(false);
            }
        }

        await SendReplyAsync(CallData.None, error: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the progress reports still queued, then the reply: the caller sees every report before its result.</summary>
    private async ValueTask FlushThenSendAsync(IProgressReports progress, PooledBufferWriter reply, ReplyError? error, bool streaming, CancellationToken cancellationToken)
    {
        try
        {
            await progress.FlushAsync().ConfigureAwait(false);
        }
        catch
        {
            reply.Dispose();
            throw;
        }

        if (streaming)
        {
            await _responder.SendToInboxAsync(this, reply, error, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _responder.SendReplyAsync(this, reply, error, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class NoProgress<T> : IProgress<T>
    {
        public static readonly NoProgress<T> Instance = new();

        public void Report(T value)
        {
        }
    }

    private async ValueTask ReplyFirstAsync<T>(IAsyncEnumerable<T> items, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        IAsyncEnumerator<T> enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            if (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                await ReplyDataAsync(enumerator.Current, typeInfo, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReplyAsync(null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// An <see cref="IProgress{T}"/> whose reports reach the caller as they are made, each serialized with
    /// <paramref name="typeInfo"/> into an <see cref="Ack"/> with <c>progress</c> on the caller's inbox, in order, all
    /// before the reply: what generated dispatchers give a method's <see cref="IProgress{T}"/> parameter. When the caller
    /// takes no reports (its query has no <c>progress: true</c>, or no inbox: a Python peer), reports go nowhere.
    /// </summary>
    /// <remarks>
    /// <see cref="IProgress{T}.Report"/> does not wait for the network: reports wait in a bounded queue, and when it is
    /// full the newest replaces the oldest unsent one (progress is a state, not a log). A report made after the reply is
    /// dropped. Ask once per call: each call of this method makes a new reporter, and only the last one's reports are
    /// sure to be sent before the reply.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The envelope is not a query.</exception>
    public IProgress<T> CreateProgress<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        Query query = Envelope as Query ?? throw new InvalidOperationException($"Only a query has progress to report; this is a {Envelope.Type} envelope.");
        if (query.Progress != true || ReplyTo is null)
        {
            return NoProgress<T>.Instance;
        }

        ProgressReports<T> reports = new(this, _responder, typeInfo);
        Volatile.Write(ref _progress, reports);
        return reports;
    }

    /// <summary>Replies to the query with an error that the caller sees as <see cref="ReplyError"/>.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not a query, or it was replied to already.</exception>
    public ValueTask ReplyErrorAsync(string code, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        return ReplyErrorAsync(new ReplyError { Code = code, Message = message }, cancellationToken);
    }

    /// <summary>Replies with <paramref name="error"/>; one without an origin is stamped with this call as its origin.</summary>
    internal ValueTask ReplyErrorAsync(ReplyError error, CancellationToken cancellationToken)
        => SendReplyAsync(CallData.None, error.Origin is null && Envelope is Query ? error with { Origin = _responder.OriginOf(this) } : error, cancellationToken);

    /// <summary>Acknowledges the query on this agent's <c>ack</c> subject.</summary>
    public ValueTask AckAsync(bool alive = true, CancellationToken cancellationToken = default)
        => _responder.AckAsync(this, alive, cancellationToken);

    /// <summary>Writes the reply first, so that data that cannot be serialized leaves the query unanswered (and answerable with an error); then sends it, once.</summary>
    private ValueTask SendReplyAsync<TData>(in TData data, ReplyError? error, CancellationToken cancellationToken)
        where TData : struct, IEnvelopeData
    {
        if (Envelope is not Query query)
        {
            throw new InvalidOperationException($"Only a query can be replied to; this is a {Envelope.Type} envelope.");
        }

        if (HasReplied)
        {
            throw new InvalidOperationException(AlreadyReplied);
        }

        // The last reply of a stream (its end, or the error that ends it) takes the next place in it and goes where the items went.
        bool streaming = Volatile.Read(ref _streaming) != 0;
        PooledBufferWriter reply = streaming
            ? _responder.WriteReply(this, query, data, error, _streamed + 1, error is null ? true : null)
            : _responder.WriteReply(this, query, data, error);
        if (Interlocked.Exchange(ref _replied, 1) != 0)
        {
            reply.Dispose();
            throw new InvalidOperationException(AlreadyReplied);
        }

        Error = error;
        if (KeepsReply)
        {
            KeptReply = reply.WrittenMemory.ToArray();
        }

        Heartbeat?.Dispose();
        if (Volatile.Read(ref _progress) is { } progress)
        {
            return FlushThenSendAsync(progress, reply, error, streaming, cancellationToken);
        }

        return streaming
            ? _responder.SendToInboxAsync(this, reply, error, cancellationToken)
            : _responder.SendReplyAsync(this, reply, error, cancellationToken);
    }
}
