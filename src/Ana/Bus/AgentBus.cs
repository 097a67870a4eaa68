using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ana.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ana;

/// <summary>
/// One agent's connection to the fleet: publishes and receives ana envelopes over NATS or the in-process broker,
/// stamps every envelope it sends (<c>ts</c>, <c>clock</c>, <c>host</c>), audits publishes, and does request/reply
/// that never publishes into the void.
/// </summary>
public sealed partial class AgentBus : IAsyncDisposable
{
    /// <summary>The topic of a query when none is given, as in the Python package.</summary>
    public const string DefaultTopic = "default";

    private const int MaxRememberedReplySubjects = 1024;

    private readonly ITransport _transport;
    private readonly AuditLog? _audit;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly List<AgentSubscription> _subscriptions = [];
    private readonly ConcurrentDictionary<string, string> _replySubjects = new(StringComparer.Ordinal);
    private ReplyRouter? _replies;
    private int _rememberedReplySubjects;
    private int _disposed;

    private AgentBus(string identity, AgentBusOptions options, ITransport transport, ILogger logger, AuditLog? audit)
    {
        Identity = identity;
        Options = options;
        Subjects = new SubjectScheme(options.Prefix);
        _transport = transport;
        Logger = logger;
        _audit = audit;
    }

    /// <summary>This agent's name: the <c>from</c> of everything it sends and the agent token of its own subjects.</summary>
    public string Identity { get; }

    /// <summary>The options the bus was connected with.</summary>
    public AgentBusOptions Options { get; }

    /// <summary>The subject scheme of the bus's prefix.</summary>
    public SubjectScheme Subjects { get; }

    /// <summary>What the bus has done so far.</summary>
    public AgentBusStatistics Statistics => Counters.Snapshot();

    internal ILogger Logger { get; }

    internal BusCounters Counters { get; } = new();

    /// <summary>Connects to the server (or the in-process broker) named by <see cref="AgentBusOptions.Url"/>.</summary>
    /// <param name="identity">This agent's name; one subject token.</param>
    /// <param name="options">How to connect; <see cref="AgentBusOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArgumentException">The identity or the prefix is not a valid subject token.</exception>
    /// <exception cref="AnaConnectionException">The server cannot be reached, or refused the credentials.</exception>
    public static async ValueTask<AgentBus> ConnectAsync(string identity, AgentBusOptions? options = null, CancellationToken cancellationToken = default)
    {
        SubjectToken.ValidateAgent(identity, nameof(identity));
        options ??= AgentBusOptions.Default;
        ILoggerFactory loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        ILogger logger = loggers.CreateLogger("Ana.AgentBus");

        ITransport transport = await TransportFactory.ConnectAsync(identity, options, loggers, cancellationToken).ConfigureAwait(false);
        AuditLog? audit = null;
        try
        {
            audit = options.AuditLogPath is { } path ? new AuditLog(path, logger) : null;
            AgentBus bus = new(identity, options, transport, logger, audit);
            bus._replies = await ReplyRouter.StartAsync(bus, transport, cancellationToken).ConfigureAwait(false);
            return bus;
        }
        catch
        {
            if (audit is not null)
            {
                await audit.DisposeAsync().ConfigureAwait(false);
            }

            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a query and returns without waiting for an answer (fire and forget).</summary>
    /// <returns>The query as published, with its request id.</returns>
    public async ValueTask<Query> QueryAsync(
        string to,
        string query,
        string topic = DefaultTopic,
        JsonElement? data = null,
        IReadOnlyList<string>? fields = null,
        CancellationToken cancellationToken = default)
    {
        string subject = Subjects.Build(to, SubjectVerb.Query, topic);
        Query envelope = NewQuery(to, query, data, fields, RequestIds.New(), timeout: null);
        await PublishCoreAsync(subject, replyTo: null, envelope, cancellationToken).ConfigureAwait(false);
        return envelope;
    }

    /// <summary>
    /// Sends a query and waits for its reply. The bus listens for the reply, on its inbox and on the responder's
    /// <c>reply</c> subject, before it publishes.
    /// </summary>
    /// <returns>The reply, or <see langword="null"/> when none came within <paramref name="timeout"/>.</returns>
    /// <exception cref="AnaNoRespondersException">No agent listens on the query's subject.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<Reply?> QueryAndWaitAsync(
        string to,
        string query,
        string topic = DefaultTopic,
        TimeSpan? timeout = null,
        JsonElement? data = null,
        IReadOnlyList<string>? fields = null,
        CancellationToken cancellationToken = default)
    {
        TimeSpan wait = timeout ?? Options.DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        string subject = Subjects.Build(to, SubjectVerb.Query, topic);
        string replySubject = Subjects.Build(to, SubjectVerb.Reply, topic);
        return SendAndWaitAsync(subject, replySubject, to, query, data, fields, wait, contractCall: false, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for every query addressed to this agent (<c>&lt;prefix&gt;.&lt;identity&gt;.query.&gt;</c>).
    /// Handlers run concurrently, at most <see cref="AgentBusOptions.MaxConcurrentHandlers"/> at once; one that throws
    /// answers the caller with an error reply and the subscription keeps serving.
    /// </summary>
    /// <param name="handler">Handles one envelope.</param>
    /// <param name="queueGroup">When set, the agents of one queue group share the queries: each goes to one of them.</param>
    /// <param name="cancellationToken">Cancels subscribing.</param>
    public ValueTask<AgentSubscription> SubscribeToMeAsync(EnvelopeHandler handler, string? queueGroup = null, CancellationToken cancellationToken = default)
        => SubscribeAsync(Subjects.VerbWildcard(Identity, SubjectVerb.Query), handler, queueGroup, cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> for every envelope on <paramref name="subject"/>, which may hold the
    /// <c>*</c> and <c>&gt;</c> wildcards (e.g. <see cref="SubjectScheme.FleetWildcard"/>). Malformed messages are
    /// logged, counted and dropped. Handlers run concurrently, up to <see cref="AgentBusOptions.MaxConcurrentHandlers"/>
    /// at once, so they may finish out of arrival order; set it to 1 to handle envelopes one at a time, in order.
    /// </summary>
    /// <exception cref="AnaPermissionException">The NATS server does not let this connection subscribe to <paramref name="subject"/>.</exception>
    public ValueTask<AgentSubscription> SubscribeAsync(
        string subject,
        EnvelopeHandler handler,
        string? queueGroup = null,
        CancellationToken cancellationToken = default)
        => SubscribeCoreAsync(subject, handler, queueGroup, Options.MaxConcurrentHandlers, cancellationToken);

    /// <summary>Announces this agent on <c>&lt;prefix&gt;.&lt;identity&gt;.discovery</c>.</summary>
    /// <param name="role">The agent's role, e.g. <c>worker</c>.</param>
    /// <param name="capabilities">What the agent offers.</param>
    /// <param name="subjectsOwned">The subjects it serves; defaults to <c>&lt;prefix&gt;.&lt;identity&gt;.&gt;</c>.</param>
    /// <param name="cancellationToken">Cancels publishing.</param>
    public ValueTask AnnounceDiscoveryAsync(
        string? role = null,
        IReadOnlyDictionary<string, JsonElement>? capabilities = null,
        IReadOnlyList<string>? subjectsOwned = null,
        CancellationToken cancellationToken = default)
    {
        Discovery discovery = new()
        {
            From = Identity,
            Ts = DateTimeOffset.UtcNow,
            Clock = CurrentClock(),
            Host = Options.Host,
            Role = role,
            SubjectsOwned = subjectsOwned ?? [Subjects.AgentWildcard(Identity)],
            Capabilities = capabilities,
        };
        return PublishCoreAsync(Subjects.Build(Identity, SubjectVerb.Discovery), null, discovery, cancellationToken);
    }

    /// <summary>Publishes a heartbeat on <c>&lt;prefix&gt;.&lt;identity&gt;.pulse</c>.</summary>
    public ValueTask PulseAsync(string activity, string? state = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Pulse pulse = new()
        {
            From = Identity,
            Ts = DateTimeOffset.UtcNow,
            Clock = CurrentClock(),
            Host = Options.Host,
            Activity = activity,
            State = state,
        };
        return PublishCoreAsync(Subjects.Build(Identity, SubjectVerb.Pulse), null, pulse, cancellationToken);
    }

    /// <summary>
    /// Publishes any envelope on any subject, stamping <c>clock</c> and <c>host</c> when the envelope has none.
    /// </summary>
    public ValueTask PublishAsync(string subject, Envelope envelope, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Clock is null || envelope.Host is null)
        {
            envelope = envelope with { Clock = envelope.Clock ?? CurrentClock(), Host = envelope.Host ?? Options.Host };
        }

        return PublishCoreAsync(subject, replyTo, envelope, cancellationToken);
    }

    /// <summary>Stops every subscription, waits for running handlers, flushes the audit log and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AgentSubscription[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (AgentSubscription subscription in subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (_replies is not null)
        {
            await _replies.DisposeAsync().ConfigureAwait(false);
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
        if (_audit is not null)
        {
            await _audit.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal async ValueTask<AgentSubscription> SubscribeCoreAsync(
        string subject,
        EnvelopeHandler handler,
        string? queueGroup,
        int maxConcurrency,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ThrowIfDisposed();
        InboundDispatcher dispatcher = await InboundDispatcher.StartAsync(
            this, _transport, subject, queueGroup, handler, maxConcurrency, cancellationToken).ConfigureAwait(false);
        AgentSubscription subscription = new(dispatcher);
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Sends a typed call and waits for its reply.</summary>
    /// <exception cref="AnaTimeoutException">No reply came within <paramref name="timeout"/>.</exception>
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    internal ValueTask<Reply> CallAsync(
        string querySubject,
        string replySubject,
        string agent,
        string topic,
        JsonElement? arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        // Never null for a contract call (a timeout throws): the one state machine of the call does the checks.
        => SendAndWaitAsync(querySubject, replySubject, agent, topic, arguments, fields: null, timeout, contractCall: true, cancellationToken)!;

    /// <summary>Publishes a one-way typed call.</summary>
    internal async ValueTask SendOneWayAsync(string querySubject, string agent, string topic, JsonElement? arguments, CancellationToken cancellationToken)
    {
        Query envelope = NewQuery(agent, topic, arguments, fields: null, RequestIds.New(), timeout: null);
        await PublishCoreAsync(querySubject, replyTo: null, envelope, cancellationToken).ConfigureAwait(false);
    }

    internal bool TryParse(TransportMessage message, [NotNullWhen(true)] out Envelope? envelope)
    {
        try
        {
            envelope = EnvelopeSerializer.Parse(message.Payload.Span, Options.MaxEnvelopeBytes);
            Counters.Received();
            return true;
        }
        catch (AnaEnvelopeException ex)
        {
            Counters.Malformed();
            Log.MalformedMessage(Logger, message.Subject, ex.Message);
            envelope = null;
            return false;
        }
    }

    internal bool TryParseReply(TransportMessage message, [NotNullWhen(true)] out Reply? reply)
    {
        reply = null;
        if (!TryParse(message, out Envelope? envelope))
        {
            return false;
        }

        if (envelope is not Reply r)
        {
            Counters.UnmatchedReply();
            Log.NotAReply(Logger, message.Subject, envelope.Type);
            return false;
        }

        reply = r;
        return true;
    }

    internal async ValueTask PublishReplyAsync(InboundContext context, Query query, JsonElement? data, ReplyError? error, CancellationToken cancellationToken)
    {
        Reply reply = new()
        {
            From = Identity,
            Ts = DateTimeOffset.UtcNow,
            Clock = CurrentClock(),
            Host = Options.Host,
            ReplyFor = context.Subject,
            RequestId = query.RequestId,
            Data = error is null ? data : null,
            Error = error,
        };

        if (context.ReplyTo is { } inbox)
        {
            await PublishCoreAsync(inbox, null, reply, cancellationToken).ConfigureAwait(false);
            if (!Options.MirrorRepliesToReplySubject)
            {
                return;
            }
        }

        await PublishCoreAsync(ReplySubjectFor(context.Subject), null, reply, cancellationToken).ConfigureAwait(false);
    }

    internal ValueTask PublishAckAsync(InboundContext context, bool alive, CancellationToken cancellationToken)
    {
        Ack ack = new()
        {
            From = Identity,
            Ts = DateTimeOffset.UtcNow,
            Clock = CurrentClock(),
            Host = Options.Host,
            AckFor = context.Subject,
            Alive = alive,
        };
        return PublishCoreAsync(AnswerSubject(context.Subject, SubjectVerb.Ack), null, ack, cancellationToken);
    }

    internal async ValueTask HandleFailureAsync(InboundContext context, Exception exception)
    {
        bool deadlinePassed = exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested;
        if (!deadlinePassed)
        {
            Counters.HandlerFailed();
            Log.HandlerFailed(Logger, context.Subject, exception);
        }

        // Past its deadline the caller has stopped waiting: a reply now would only race its timeout.
        if (context.Envelope is not Query || context.HasReplied || deadlinePassed)
        {
            return;
        }

        (string code, string message) = exception switch
        {
            AnaException ana => (ana.Code, ana.Message),
            _ when Options.ExposeExceptionMessages => (AnaErrorCodes.Internal, exception.Message),
            _ => (AnaErrorCodes.Internal, "The handler failed."),
        };

        try
        {
            await context.ReplyErrorAsync(code, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(Logger, context.Subject, ex);
        }
    }

    /// <summary>
    /// Listens, publishes and waits, all within one deadline: while the connection is down a publish waits for the
    /// reconnect, so the deadline has to bound it too, or a call could outlive its timeout by the length of an outage.
    /// A <paramref name="contractCall"/> throws <see cref="AnaTimeoutException"/> instead of returning <see langword="null"/>,
    /// and <see cref="AnaRemoteException"/> for a reply that carries an error.
    /// </summary>
    private async ValueTask<Reply?> SendAndWaitAsync(
        string subject,
        string replySubject,
        string to,
        string query,
        JsonElement? data,
        IReadOnlyList<string>? fields,
        TimeSpan timeout,
        bool contractCall,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ReplyRouter replies = _replies!;
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string requestId = RequestIds.New();
        PendingReply pending = replies.Register(requestId, subject);
        try
        {
            using CancellationTokenRegistration cancel = pending.CancelWhen(deadline.Token);
            await replies.ListenOnAsync(replySubject, deadline.Token).ConfigureAwait(false);
            Query envelope = NewQuery(to, query, data, fields, requestId, timeout);
            await PublishCoreAsync(subject, replies.InboxFor(requestId), envelope, deadline.Token).ConfigureAwait(false);
            Reply reply = await pending.Reply.ConfigureAwait(false);
            return contractCall && reply.Error is { } error ? throw new AnaRemoteException(to, query, error.Code, error.Message) : reply;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return contractCall ? throw new AnaTimeoutException(to, query, timeout) : null;
        }
        finally
        {
            replies.Forget(requestId);
        }
    }

    private Query NewQuery(string to, string query, JsonElement? data, IReadOnlyList<string>? fields, string requestId, TimeSpan? timeout) => new()
    {
        From = Identity,
        Ts = DateTimeOffset.UtcNow,
        Clock = CurrentClock(),
        Host = Options.Host,
        To = to,
        Text = query ?? throw new ArgumentNullException(nameof(query)),
        Fields = fields,
        RequestId = requestId,
        Data = data,
        TimeoutSeconds = timeout?.TotalSeconds,
    };

    private async ValueTask PublishCoreAsync(string subject, string? replyTo, Envelope envelope, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        using PooledBufferWriter buffer = new();
        EnvelopeSerializer.Serialize(buffer, envelope);
        await _transport.PublishAsync(subject, replyTo, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Counters.Published();
        _audit?.Record(subject, replyTo, buffer.WrittenSpan);
    }

    /// <summary>
    /// Where to answer a query that arrived on <paramref name="querySubject"/>: the <paramref name="verb"/> subject of the
    /// agent it was addressed to, with its topic (a bus serving a contract under another name answers under that name).
    /// </summary>
    private string AnswerSubject(string querySubject, SubjectVerb verb)
        => Subjects.TryParse(querySubject, out AgentSubject target)
            ? Subjects.Build(target.Agent, verb, target.Topic)
            : Subjects.Build(Identity, verb);

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

    private EnvelopeClock CurrentClock() => new()
    {
        LocalTime = DateTimeOffset.Now,
        UptimeSeconds = Math.Round(_uptime.Elapsed.TotalSeconds, 3),
    };

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
