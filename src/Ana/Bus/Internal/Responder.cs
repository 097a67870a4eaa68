using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>
/// Answers the envelopes a bus receives: replies to a query the way its caller waits for them (the inbox it set,
/// and the responder's <c>reply</c> subject), acknowledgements, and the error reply of a handler that failed.
/// </summary>
internal sealed class Responder
{
    private const int MaxRememberedReplySubjects = 1024;

    private readonly EnvelopePublisher _publisher;
    private readonly SubjectScheme _subjects;
    private readonly string _identity;
    private readonly bool _mirrorReplies;
    private readonly bool _exposeExceptionMessages;
    private readonly BusCounters _counters;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _replySubjects = new(StringComparer.Ordinal);
    private int _rememberedReplySubjects;

    public Responder(EnvelopePublisher publisher, SubjectScheme subjects, string identity, AgentBusOptions options, BusCounters counters, ILogger logger)
    {
        _publisher = publisher;
        _subjects = subjects;
        _identity = identity;
        _mirrorReplies = options.MirrorRepliesToReplySubject;
        _exposeExceptionMessages = options.ExposeExceptionMessages;
        _counters = counters;
        _logger = logger;
    }

    public async ValueTask ReplyAsync(InboundContext context, Query query, JsonElement? data, ReplyError? error, CancellationToken cancellationToken)
    {
        Reply reply = new(_publisher.Origin())
        {
            ReplyFor = context.Subject,
            RequestId = query.RequestId,
            Data = error is null ? data : null,
            Error = error,
        };

        if (context.ReplyTo is { } inbox)
        {
            await _publisher.PublishAsync(inbox, null, reply, cancellationToken).ConfigureAwait(false);
            if (!_mirrorReplies)
            {
                return;
            }
        }

        await _publisher.PublishAsync(ReplySubjectFor(context.Subject), null, reply, cancellationToken).ConfigureAwait(false);
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

        (string code, string message) = exception switch
        {
            AnaException ana => (ana.Code, ana.Message),
            _ when _exposeExceptionMessages => (AnaErrorCodes.Internal, exception.Message),
            _ => (AnaErrorCodes.Internal, "The handler failed."),
        };

        try
        {
            await context.ReplyErrorAsync(code, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, context.Subject, ex);
        }
    }

    /// <summary>
    /// Where to answer a query that arrived on <paramref name="querySubject"/>: the <paramref name="verb"/> subject of the
    /// agent it was addressed to, with its topic (a bus serving a contract under another name answers under that name).
    /// </summary>
    private string AnswerSubject(string querySubject, SubjectVerb verb)
        => _subjects.TryParse(querySubject, out AgentSubject target)
            ? _subjects.Build(target.Agent, verb, target.Topic)
            : _subjects.Build(_identity, verb);

    /// <summary>
    /// <see cref="AnswerSubject"/> for replies, remembered for the first <see cref="MaxRememberedReplySubjects"/> query
    /// subjects (a server sees a handful of topics; a sender inventing topics must not grow the table without bound).
    /// </summary>
    private string ReplySubjectFor(string querySubject)
    {
        if (_replySubjects.TryGetValue(querySubject, out string? replySubject))
        {
            return replySubject;
        }

        replySubject = AnswerSubject(querySubject, SubjectVerb.Reply);

        // A counter of our own: ConcurrentDictionary.Count takes every lock of the table.
        if (Volatile.Read(ref _rememberedReplySubjects) < MaxRememberedReplySubjects && _replySubjects.TryAdd(querySubject, replySubject))
        {
            Interlocked.Increment(ref _rememberedReplySubjects);
        }

        return replySubject;
    }
}
