using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Ana.Micro;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana;

/// <summary>
/// Answers the envelopes a bus receives: replies to a query the way its caller waits for them (the inbox it set,
/// and the responder's <c>reply</c> subject), acknowledgements, and the error reply of a handler that failed. A query
/// that could not be answered (<see cref="TryAccept"/>) never reaches a handler: publishing on an invalid or too long
/// subject would at best be refused and at worst get the connection closed by the server.
/// </summary>
internal sealed class Responder
{
    private const int MaxRememberedReplySubjects = 1024;
    private const string CancelledMessage = "The agent stopped before this call finished and cancelled it; it may have done part of its work.";

    private readonly EnvelopePublisher _publisher;
    private readonly SubjectScheme _subjects;
    private readonly string _identity;
    private readonly bool _mirrorReplies;
    private readonly bool _exposeExceptionMessages;
    private readonly bool _serviceErrorHeaders;
    private readonly BusCounters _counters;
    private readonly ILogger _logger;
    private readonly SubjectBudget _budget;
    private readonly string _schemePrefix;
    private readonly ConcurrentDictionary<string, string> _replySubjects = new(StringComparer.Ordinal);
    private int _rememberedReplySubjects;

    public Responder(EnvelopePublisher publisher, SubjectScheme subjects, string identity, AgentBusOptions options, BusCounters counters, ILogger logger)
    {
        _publisher = publisher;
        _subjects = subjects;
        _identity = identity;
        _mirrorReplies = options.MirrorRepliesToReplySubject;
        _exposeExceptionMessages = options.ExposeExceptionMessages;
        _serviceErrorHeaders = options.MicroDiscovery;
        _counters = counters;
        _logger = logger;
        _budget = new SubjectBudget(options.MaxControlLineBytes, replyToBytes: 0);
        _schemePrefix = subjects.Prefix + ".";
    }

    /// <summary>The bus's subject scheme.</summary>
    public SubjectScheme Subjects => _subjects;

    /// <summary>
    /// Whether the answers to a query that arrived on <paramref name="subject"/> with <paramref name="replyTo"/> can be
    /// sent: its reply subject and its reply-to are valid subjects and a publish on either fits the line budget. When they
    /// cannot, the query is counted (<see cref="AgentBusStatistics.UnanswerableQueries"/>) and logged, and must be dropped.
    /// </summary>
    public bool TryAccept(string subject, string? replyTo)
    {
        string? problem = FindReplySubject(subject, out _) ?? FindReplyToProblem(replyTo);
        if (problem is null)
        {
            return true;
        }

        Refuse(subject, replyTo, problem);
        return false;
    }

    /// <summary>
    /// Writes the reply to <paramref name="query"/>, its <paramref name="data"/> in place (none with an error), into a
    /// pooled buffer that <see cref="SendReplyAsync"/> publishes and gives back. Serializing the data may throw, before
    /// anything is sent.
    /// </summary>
    /// <remarks>A reply in a stream carries its <paramref name="sequence"/>, and the one that ends it <paramref name="end"/>.</remarks>
    public PooledBufferWriter WriteReply<TData>(InboundContext context, Query query, in TData data, ReplyError? error, long? sequence = null, bool? end = null)
        where TData : struct, IEnvelopeData
    {
        PooledBufferWriter buffer = new();
        try
        {
            if (error is null)
            {
                HotEnvelopeWriter.WriteReply(buffer, _publisher.Stamp(), context.Subject, query.RequestId, data, error: null, sequence, end);
            }
            else
            {
                HotEnvelopeWriter.WriteReply(buffer, _publisher.Stamp(), context.Subject, query.RequestId, CallData.None, error, sequence, end);
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Writes the item <paramref name="sequence"/> of the stream answering <paramref name="query"/> (see <see cref="HotEnvelopeWriter.WriteStreamItem"/>).</summary>
    public PooledBufferWriter WriteStreamItem<TData>(InboundContext context, Query query, in TData data, long sequence)
        where TData : struct, IEnvelopeData
    {
        PooledBufferWriter buffer = new();
        try
        {
            HotEnvelopeWriter.WriteStreamItem(buffer, _publisher.Identity, DateTimeOffset.UtcNow, context.Subject, query.RequestId, data, sequence);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Publishes a reply <see cref="WriteReply"/> wrote the way its caller waits for it, then gives its buffer back.</summary>
    public async ValueTask SendReplyAsync(InboundContext context, PooledBufferWriter reply, ReplyError? error, CancellationToken cancellationToken)
    {
        using (reply)
        {
            // Only a query that TryAccept let through has a context to reply with, so its reply-to was checked then and is
            // not scanned again; its reply subject is a lookup in the table TryAccept filled.
            if (FindReplySubject(context.Subject, out string? replySubject) is { } problem)
            {
                Refuse(context.Subject, context.ReplyTo, problem);
                return;
            }

            if (context.ReplyTo is { } inbox)
            {
                await _publisher.PublishAsync(inbox, null, reply.WrittenMemory, HeadersOf(error), cancellationToken).ConfigureAwait(false);
                if (!_mirrorReplies)
                {
                    return;
                }
            }

            await _publisher.PublishAsync(replySubject!, null, reply.WrittenMemory, HeadersOf(error), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes again the reply a stored call's completion record kept, on the agent's reply subject for
    /// <paramref name="workSubject"/>, where its caller listens (a caller that has its reply already drops it).
    /// </summary>
    public ValueTask SendRecordedReplyAsync(string workSubject, ReadOnlyMemory<byte> reply, CancellationToken cancellationToken)
    {
        if (FindReplySubject(workSubject, out string? replySubject) is { } problem)
        {
            Refuse(workSubject, null, problem);
            return default;
        }

        return _publisher.PublishAsync(replySubject!, null, reply, null, cancellationToken);
    }

    /// <summary>Publishes a reply of a stream to the caller's inbox only (a stream is never mirrored), then gives its buffer back.</summary>
    public async ValueTask SendToInboxAsync(InboundContext context, PooledBufferWriter reply, ReplyError? error, CancellationToken cancellationToken)
    {
        using (reply)
        {
            await _publisher.PublishAsync(context.ReplyTo!, null, reply.WrittenMemory, HeadersOf(error), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The call <paramref name="context"/> serves, as an error's origin or a call it came back through.</summary>
    public ErrorOrigin OriginOf(InboundContext context)
    {
        string? agent = null, topic = null;
        if (_subjects.TryParse(context.Subject, out AgentSubject target))
        {
            agent = target.Agent;
            topic = target.Topic ?? (target.Verb == SubjectVerb.Query ? AgentBus.DefaultTopic : null);
        }

        return new ErrorOrigin { Agent = agent ?? _identity, Topic = topic, RequestId = (context.Envelope as Query)?.RequestId };
    }

    /// <summary>An error reply's <c>Nats-Service-Error</c> headers (ADR-32), new for each publish; none on success or with discovery off.</summary>
    private NatsHeaders? HeadersOf(ReplyError? error)
        => error is not null && _serviceErrorHeaders ? ServiceErrorHeaders.For(error) : null;

    /// <summary>
    /// Tells the caller of <paramref name="context"/>'s query, on its inbox, that the call is alive: with a progress
    /// report when <paramref name="progress"/> is given, else as a heartbeat.
    /// </summary>
    public ValueTask SendProgressAsync(InboundContext context, System.Text.Json.JsonElement? progress, CancellationToken cancellationToken)
    {
        Ack ack = new(_publisher.Origin())
        {
            AckFor = context.Subject,
            RequestId = (context.Envelope as Query)?.RequestId,
            Progress = progress,
        };
        return _publisher.PublishAsync(context.ReplyTo!, null, ack, cancellationToken);
    }

    public ValueTask AckAsync(InboundContext context, bool alive, CancellationToken cancellationToken)
    {
        Ack ack = new(_publisher.Origin())
        {
            AckFor = context.Subject,
            Alive = alive,
        };
        return _publisher.PublishAsync(AnswerSubject(context.Subject, SubjectVerb.Ack), null, ack, cancellationToken);
    }

    /// <summary>
    /// Counts and logs a handler's failure and answers the caller with an error reply, unless the query was answered
    /// already or its deadline has passed (the caller stopped waiting: a reply now would only race its timeout).
    /// </summary>
    public async ValueTask HandleFailureAsync(InboundContext context, Exception exception)
    {
        bool deadlinePassed = exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested;
        if (!deadlinePassed)
        {
            _counters.HandlerFailed();
            Log.HandlerFailed(_logger, context.Subject, exception);
        }

        if (context.Envelope is not Query || context.HasReplied || deadlinePassed)
        {
            return;
        }

        ReplyError error = exception switch
        {
            // A call this handler made failed: the error goes on with its own code, message and origin, and this call
            // added to the calls it came back through (not its text wrapped in this agent's).
            AnaRemoteException remote => new ReplyError
            {
                Code = remote.Code,
                Message = remote.RemoteMessage,
                Origin = remote.Origin ?? new ErrorOrigin { Agent = remote.Agent, Topic = remote.Topic },
                Via = [.. remote.Via, OriginOf(context)],
            },
            AnaException ana => new ReplyError { Code = ana.Code, Message = ana.Message },
            _ when _exposeExceptionMessages => new ReplyError { Code = AnaErrorCodes.Internal, Message = exception.Message },
            _ => new ReplyError { Code = AnaErrorCodes.Internal, Message = "The handler failed." },
        };

        try
        {
            await context.ReplyErrorAsync(error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, context.Subject, ex);
        }
    }

    /// <summary>
    /// Answers a query whose handler ended because its subscription stopped (not because the caller stopped waiting):
    /// <see cref="AnaErrorCodes.Cancelled"/>, so that the caller fails at once instead of at its timeout. Not a handler
    /// failure: nothing is counted. Bounded by <paramref name="cancellationToken"/>, since the connection may be going too.
    /// </summary>
    public async ValueTask HandleStoppedAsync(InboundContext context, CancellationToken cancellationToken)
    {
        if (context.Envelope is not Query || context.HasReplied)
        {
            return;
        }

        try
        {
            await context.ReplyErrorAsync(AnaErrorCodes.Cancelled, CancelledMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, context.Subject, ex);
        }
    }

    /// <summary>
    /// Where to answer a query that arrived on <paramref name="querySubject"/>: the <paramref name="verb"/> subject of the
    /// agent it was addressed to, with its topic (a bus serving a contract under another name answers under that name);
    /// for a subject outside the scheme (a subscription of the user's own), this agent's subject without a topic.
    /// </summary>
    /// <returns>Why no answer can be addressed, or <see langword="null"/>.</returns>
    private string? FindAnswerSubject(string querySubject, SubjectVerb verb, out string? answerSubject)
    {
        answerSubject = null;
        if (!querySubject.StartsWith(_schemePrefix, StringComparison.Ordinal) || !_subjects.TryParse(querySubject, out AgentSubject target, out string? problem))
        {
            // Wildcards, whitespace, control characters, empty tokens: not a subject anything can be answered on.
            if (SubjectToken.FindProblem(querySubject, allowDots: true) is { } invalid)
            {
                return $"its subject is not a valid subject: {invalid}";
            }

            answerSubject = _subjects.Build(_identity, verb);
            return null;
        }

        problem = SubjectToken.FindLengthProblem(target.Agent, SubjectScheme.MaxAgentBytes) is { } agentProblem ? $"the agent name in its subject: {agentProblem}"
            : target.Topic is not null && SubjectToken.FindLengthProblem(target.Topic, SubjectScheme.MaxTopicBytes) is { } topicProblem ? $"its topic: {topicProblem}"
            : null;
        if (problem is null)
        {
            answerSubject = _subjects.Build(target.Agent, verb, target.Topic);
        }

        return problem;
    }

    private string AnswerSubject(string querySubject, SubjectVerb verb)
        => FindAnswerSubject(querySubject, verb, out string? answerSubject) is null ? answerSubject! : _subjects.Build(_identity, verb);

    /// <summary>
    /// The reply subject of a query subject, remembered for the first <see cref="MaxRememberedReplySubjects"/> valid
    /// query subjects (a server sees a handful of topics; a sender inventing topics must not grow the table without bound).
    /// </summary>
    /// <returns>Why no reply can be published there, or <see langword="null"/>.</returns>
    private string? FindReplySubject(string querySubject, out string? replySubject)
    {
        if (_replySubjects.TryGetValue(querySubject, out replySubject))
        {
            return null;
        }

        if (FindAnswerSubject(querySubject, SubjectVerb.Reply, out replySubject) is { } problem)
        {
            return problem;
        }

        if (!_budget.Fits(replySubject!, replyToBytes: 0))
        {
            return $"a reply on '{SubjectToken.Printable(replySubject!)}' would write a protocol line of {SubjectBudget.LineBytes(replySubject!, null)} bytes, more than MaxControlLineBytes ({_budget.MaxControlLineBytes}).";
        }

        // A counter of our own: ConcurrentDictionary.Count takes every lock of the table.
        if (Volatile.Read(ref _rememberedReplySubjects) < MaxRememberedReplySubjects && _replySubjects.TryAdd(querySubject, replySubject!))
        {
            Interlocked.Increment(ref _rememberedReplySubjects);
        }

        return null;
    }

    private string? FindReplyToProblem(string? replyTo)
    {
        if (replyTo is null)
        {
            return null;
        }

        if (SubjectToken.FindProblem(replyTo, allowDots: true) is { } problem)
        {
            return $"its reply-to is not a valid subject: {problem}";
        }

        return _budget.Fits(replyTo, replyToBytes: 0)
            ? null
            : $"a reply to its reply-to would write a protocol line of {SubjectBudget.LineBytes(replyTo, null)} bytes, more than MaxControlLineBytes ({_budget.MaxControlLineBytes}).";
    }

    private void Refuse(string subject, string? replyTo, string problem)
    {
        _counters.UnanswerableQuery();
        Log.UnanswerableQuery(
            _logger,
            SubjectToken.Printable(subject),
            Encoding.UTF8.GetByteCount(subject),
            replyTo is null ? "none" : SubjectToken.Printable(replyTo),
            problem);
    }
}
