using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Ana.Contracts.Infrastructure;
using Ana.Micro;
using Ana.Telemetry;
using Ana.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ana;

/// <summary>
/// One agent's connection to the fleet: publishes and receives ana envelopes over NATS or the in-process broker,
/// stamps every envelope it sends (<c>ts</c>, <c>clock</c>, <c>host</c>), audits publishes, and does request/reply
/// that never publishes into the void.
/// </summary>
/// <remarks>
/// A façade over parts that each own their state and never call back into it: <see cref="EnvelopePublisher"/>
/// (stamp, serialize, publish, audit), <see cref="EnvelopeReceiver"/> (parse, count, log), <see cref="ReplyRouter"/>
/// (replies to the calls waiting for them), <see cref="RequestReply"/> (the one path of a call) and
/// <see cref="Responder"/> (answers to what handlers receive).
/// </remarks>
public sealed partial class AgentBus : IAsyncDisposable
{
    /// <summary>The topic of a query when none is given, as in the Python package.</summary>
    public const string DefaultTopic = "default";

    private readonly ITransport _transport;
    private readonly BusCounters _counters;
    private readonly EnvelopePublisher _publisher;
    private readonly EnvelopeReceiver _receiver;
    private readonly Responder _responder;
    private readonly ReplyRouter _replies;
    private readonly RequestReply _calls;
    private readonly SubscriptionSet _subscriptions = new();
    private readonly SubjectBudget _budget;
    private AgentSubscription[]? _draining;
    private int _disposed;

    private AgentBus(
        string identity,
        AgentBusOptions options,
        ITransport transport,
        BusCounters counters,
        EnvelopePublisher publisher,
        EnvelopeReceiver receiver,
        ReplyRouter replies)
    {
        Identity = identity;
        Options = options;
        Subjects = new SubjectScheme(options.Prefix);
        _transport = transport;
        _counters = counters;
        _publisher = publisher;
        _receiver = receiver;
        _replies = replies;
        _calls = new RequestReply(publisher, replies, Subjects, identity);
        _budget = new SubjectBudget(options.MaxControlLineBytes, Encoding.UTF8.GetByteCount(replies.InboxFor(new string('0', RequestIds.Length))));
        _responder = new Responder(publisher, Subjects, identity, options, counters, receiver.Logger);
    }

    /// <summary>This agent's name: the <c>from</c> of everything it sends and the agent token of its own subjects.</summary>
    public string Identity { get; }

    /// <summary>The options the bus was connected with.</summary>
    public AgentBusOptions Options { get; }

    /// <summary>The subject scheme of the bus's prefix.</summary>
    public SubjectScheme Subjects { get; }

    /// <summary>What the bus has done so far.</summary>
    public AgentBusStatistics Statistics => _counters.Snapshot();

    /// <summary>Whether the bus can reach its server now: what a health check reports.</summary>
    public AgentBusConnectionState ConnectionState => Volatile.Read(ref _disposed) != 0 ? AgentBusConnectionState.Closed : _transport.State;

    /// <summary>
    /// The bus's subscriptions (its own reply inbox and those of <see cref="SubscribeAsync"/> and the served contracts)
    /// that stopped receiving after they were made: the NATS server refused one when the client sent it again after a
    /// reconnect, or the client ended one with an error. Also the durable topics of served contracts that stopped taking
    /// their stored work because the server refused their acknowledgements or pulls (the work subject, with the consumer
    /// as <see cref="AgentSubscriptionFault.QueueGroup"/>). Empty while all is well; a fault stays until its subscription is
    /// disposed (the client does not subscribe again by itself before the next reconnect, and the bus cannot tell when
    /// a later reconnect made the server accept it). What the hosting package's health check reports as Unhealthy.
    /// </summary>
    public IReadOnlyList<AgentSubscriptionFault> SubscriptionFaults => _transport.SubscriptionFaults;

    /// <summary>Connects to the server (or the in-process broker) named by <see cref="AgentBusOptions.Url"/>.</summary>
    /// <param name="identity">This agent's name; one subject token.</param>
    /// <param name="options">How to connect; <see cref="AgentBusOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArgumentException">
    /// The identity or the prefix is not a valid subject token, or longer than <see cref="SubjectScheme.MaxAgentBytes"/> or
    /// <see cref="SubjectScheme.MaxPrefixBytes"/>; the authentication or TLS options are inconsistent; the
    /// creds file is malformed (the message names the file, never its content).
    /// </exception>
    /// <exception cref="FileNotFoundException">The creds file or a TLS file does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="AgentBusOptions.DefaultTimeout"/> is not between 1 ms and 24 days, <see cref="AgentBusOptions.StreamWindow"/>
    /// is below 1, <see cref="AgentBusOptions.ShutdownGrace"/>
    /// not between zero and 24 days, <see cref="AgentBusOptions.MaxControlLineBytes"/> below
    /// <see cref="AgentBusOptions.MinControlLineBytes"/>, or a reconnect setting (<see cref="AgentBusOptions.ReconnectWaitMin"/>,
    /// <see cref="AgentBusOptions.ReconnectWaitMax"/>, <see cref="AgentBusOptions.ReconnectJitter"/>) is outside its range.
    /// </exception>
    /// <exception cref="AnaConnectionException">
    /// The server cannot be reached, refused the credentials, or failed the TLS handshake (the message says which TLS
    /// option to set); or a URL's credentials would be misread (an <c>@</c> after a <c>/</c>, <c>?</c> or <c>#</c>:
    /// percent-encode them). Credentials never appear in the message.
    /// </exception>
    public static async ValueTask<AgentBus> ConnectAsync(string identity, AgentBusOptions? options = null, CancellationToken cancellationToken = default)
    {
        SubjectToken.ValidateAgent(identity, nameof(identity));
        options ??= AgentBusOptions.Default;
        CallTimeouts.Validate(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.StreamWindow, 1, $"{nameof(options)}.{nameof(AgentBusOptions.StreamWindow)}");
        SubjectToken.ValidatePrefix(options.Prefix, $"{nameof(options)}.{nameof(AgentBusOptions.Prefix)}");
        SubjectBudget.Validate(options);
        ILoggerFactory loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        ILogger logger = loggers.CreateLogger("Ana.AgentBus");

        ITransport transport = await TransportFactory.ConnectAsync(identity, options, loggers, cancellationToken).ConfigureAwait(false);
        EnvelopePublisher? publisher = null;
        try
        {
            BusCounters counters = new(identity);
            AuditLog? audit = options.AuditLogPath is { } path ? new AuditLog(path, logger) : null;
            publisher = new EnvelopePublisher(identity, options.Host, transport, audit, counters);
            EnvelopeReceiver receiver = new(options.MaxEnvelopeBytes, counters, logger);
            ReplyRouter replies = await ReplyRouter.StartAsync(
                transport, receiver, options.ReplySubjectLinger, options.MaxIdleReplySubjects, cancellationToken).ConfigureAwait(false);
            return new AgentBus(identity, options, transport, counters, publisher, receiver, replies);
        }
        catch
        {
            if (publisher is not null)
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
            }

            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a query and returns without waiting for an answer (fire and forget).</summary>
    /// <returns>The query as published, with its request id.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="to"/> or <paramref name="topic"/> is not a valid name or is longer than its cap
    /// (<see cref="SubjectScheme.MaxAgentBytes"/>, <see cref="SubjectScheme.MaxTopicBytes"/>), or the query's protocol line
    /// would be longer than <see cref="AgentBusOptions.MaxControlLineBytes"/>; nothing is sent.
    /// </exception>
    public async ValueTask<Query> QueryAsync(
        string to,
        string query,
        string topic = DefaultTopic,
        JsonElement? data = null,
        IReadOnlyList<string>? fields = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfDisposed();
        string subject = Subjects.Build(to, SubjectVerb.Query, topic);
        _budget.EnsureQueryFits(subject, withInbox: false, to, topic);
        Query envelope = _calls.NewQuery(to, query, data, fields);
        using Activity? activity = CallSpans.StartUntyped(subject, to);
        try
        {
            await _publisher.PublishAsync(subject, replyTo: null, envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (activity is not null)
        {
            CallSpans.Fail(activity, CallSpans.ErrorTypeOf(ex));
            throw;
        }

        return envelope;
    }

    /// <summary>
    /// Sends a query and waits for its reply. The bus listens for the reply, on its inbox and on the responder's
    /// <c>reply</c> subject, before it publishes.
    /// </summary>
    /// <returns>The reply, or <see langword="null"/> when none came within <paramref name="timeout"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not between 1 ms and 24 days.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="to"/> or <paramref name="topic"/> is not a valid name or is longer than its cap
    /// (<see cref="SubjectScheme.MaxAgentBytes"/>, <see cref="SubjectScheme.MaxTopicBytes"/>), or the query's protocol line
    /// would be longer than <see cref="AgentBusOptions.MaxControlLineBytes"/>; nothing is sent.
    /// </exception>
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
        ArgumentNullException.ThrowIfNull(query);
        return QueryAndWaitCoreAsync(to, query, topic, timeout, data, fields, signals: null, cancellationToken);
    }

    /// <summary>
    /// An untyped query that waits (<see cref="QueryAndWaitAsync"/>, <see cref="QueryWithProgressAsync"/>): inside its
    /// PRODUCER span when someone listens, watching <paramref name="signals"/> when it has any.
    /// </summary>
    private ValueTask<Reply?> QueryAndWaitCoreAsync(
        string to, string query, string topic, TimeSpan? timeout, JsonElement? data, IReadOnlyList<string>? fields, ContractCallSignals? signals, CancellationToken cancellationToken)
    {
        TimeSpan wait = CallTimeouts.For(timeout, client: null, Options);
        ThrowIfDisposed();
        if (wait == TimeSpan.Zero)
        {
            // Made while serving a call whose deadline has passed: nobody waits for this one either.
            return new ValueTask<Reply?>(result: null);
        }

        string subject = Subjects.Build(to, SubjectVerb.Query, topic);
        string replySubject = Subjects.Build(to, SubjectVerb.Reply, topic);
        _budget.EnsureQueryFits(subject, withInbox: true, to, topic);
        return Instrumentation.Source.HasListeners()
            ? QueryAndWaitObservedAsync(subject, replySubject, to, query, data, fields, wait, signals, cancellationToken)
            : _calls.SendAndWaitAsync<ReplyOrNull, Reply?>(default, subject, replySubject, to, query, CallData.Of(data), fields, wait, signals, cancellationToken);
    }

    /// <summary>
    /// Sends a query to <paramref name="to"/> for a stream of replies (a contract method that returns
    /// <see cref="IAsyncEnumerable{T}"/>, or a handler that answers with <see cref="InboundContext.ReplyStreamAsync"/>), and
    /// yields each reply with its <see cref="Reply.Data"/> in order, each once, as it arrives. The agent sends at most
    /// <paramref name="window"/> items before the caller has taken them, and more as it reads. Stopping early (a
    /// <c>break</c>, disposing the enumerator, cancelling) tells the agent, whose iterator's token fires. An agent that does
    /// not stream (a plain handler, a Python peer) answers with one reply: a stream of that one item.
    /// </summary>
    /// <param name="to">The agent to ask.</param>
    /// <param name="query">The query text.</param>
    /// <param name="topic">The topic: the query goes to <c>&lt;prefix&gt;.&lt;to&gt;.query.&lt;topic&gt;</c>.</param>
    /// <param name="timeout">How long the whole stream may take; <see cref="AgentBusOptions.DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="data">The arguments, any JSON value.</param>
    /// <param name="window">The stream's window (see <see cref="AgentBusOptions.StreamWindow"/>); the bus's when <see langword="null"/>. An ambient <see cref="AnaCallOptions.Scope"/> with a window wins, as with timeouts.</param>
    /// <param name="heartbeat">
    /// When set, the stream also fails with <see cref="AnaTimeoutException"/> (<see cref="AnaTimeoutException.IsIdle"/>) when
    /// no item or heartbeat comes for this long; the agent sends a heartbeat every third of it while it runs.
    /// </param>
    /// <param name="cancellationToken">Stops the stream; so does a token given with <c>WithCancellation</c>.</param>
    /// <exception cref="AnaRemoteException">The agent ended the stream with an error (unlike <see cref="QueryAndWaitAsync"/>, which returns an error reply).</exception>
    /// <exception cref="AnaTimeoutException">The stream did not end within its timeout.</exception>
    /// <exception cref="AnaNoRespondersException">No agent listens on the query's subject.</exception>
    /// <exception cref="AnaException">The agent broke the stream's protocol (code <see cref="AnaErrorCodes.BadResponse"/>): an item was lost, or it sent more than the window.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 1, or <paramref name="timeout"/> is not between 1 ms and 24 days.</exception>
    public IAsyncEnumerable<Reply> QueryStreamAsync(
        string to,
        string query,
        string topic = DefaultTopic,
        TimeSpan? timeout = null,
        JsonElement? data = null,
        int? window = null,
        TimeSpan? heartbeat = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return StreamAsync<ReplyOrThrow, Reply>(default, Subjects.Build(to, SubjectVerb.Query, topic), to, topic, query, CallData.Of(data), window, timeout, heartbeat, clientOptions: null, cancellationToken);
    }

    /// <summary>
    /// Sends a query for a long-running call and waits for its reply, as <see cref="QueryAndWaitAsync"/> does, handing
    /// the agent's progress reports (<see cref="InboundContext.CreateProgress"/>, or a contract method's
    /// <see cref="IProgress{T}"/> parameter) to <paramref name="progress"/> as they arrive: one at a time, in order, all
    /// before this returns. With a <paramref name="heartbeat"/>, the call also fails when no sign of life (a report, a
    /// heartbeat its agent sends every third of it, the reply) comes for that long.
    /// </summary>
    /// <returns>The reply, or <see langword="null"/> when none came within <paramref name="timeout"/>.</returns>
    /// <exception cref="AnaTimeoutException">No sign of life came within <paramref name="heartbeat"/> (<see cref="AnaTimeoutException.IsIdle"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> or <paramref name="heartbeat"/> is not between 1 ms and 24 days.</exception>
    /// <exception cref="AnaNoRespondersException">No agent listens on the query's subject.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the agent is told.</exception>
    public ValueTask<Reply?> QueryWithProgressAsync(
        string to,
        string query,
        IProgress<JsonElement>? progress,
        string topic = DefaultTopic,
        TimeSpan? timeout = null,
        JsonElement? data = null,
        TimeSpan? heartbeat = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ContractCallSignals? signals = progress is null && heartbeat is null
            ? null
            : ContractCallSignals.Progress(progress, EnvelopeJsonContext.Default.JsonElement, heartbeat);
        return QueryAndWaitCoreAsync(to, query, topic, timeout, data, fields: null, signals, cancellationToken);
    }

    /// <summary>An untyped query that waits, inside its PRODUCER span (untyped queries are messages, not RPCs).</summary>
    private async ValueTask<Reply?> QueryAndWaitObservedAsync(
        string subject, string replySubject, string to, string query, JsonElement? data, IReadOnlyList<string>? fields, TimeSpan wait, ContractCallSignals? signals, CancellationToken cancellationToken)
    {
        using Activity? activity = CallSpans.StartUntyped(subject, to);
        try
        {
            Reply? reply = await _calls.SendAndWaitAsync<ReplyOrNull, Reply?>(default, subject, replySubject, to, query, CallData.Of(data), fields, wait, signals, cancellationToken).ConfigureAwait(false);
            if (reply is null)
            {
                CallSpans.Fail(activity, AnaErrorCodes.Timeout);
            }
            else if (reply.Error is { } error)
            {
                CallSpans.Fail(activity, error.Code);
            }

            return reply;
        }
        catch (Exception ex)
        {
            CallSpans.Fail(activity, CallSpans.ErrorTypeOf(ex));
            throw;
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for every query addressed to this agent: on <c>&lt;prefix&gt;.&lt;identity&gt;.query.&gt;</c>
    /// and on the bare <c>&lt;prefix&gt;.&lt;identity&gt;.query</c> (a query with no topic, which the Python package allows;
    /// its answers go to the bare <c>reply</c> and <c>ack</c> subjects). While a handler runs for a query,
    /// <see cref="AnaCallContext.Current"/> describes it. Handlers run concurrently, at most <see cref="AgentBusOptions.MaxConcurrentHandlers"/> at once; one that throws
    /// answers the caller with an error reply and the subscription keeps serving.
    /// </summary>
    /// <param name="handler">Handles one envelope.</param>
    /// <param name="queueGroup">When set, the agents of one queue group share the queries: each goes to one of them.</param>
    /// <param name="cancellationToken">Cancels subscribing.</param>
    public ValueTask<AgentSubscription> SubscribeToMeAsync(EnvelopeHandler handler, string? queueGroup = null, CancellationToken cancellationToken = default)
        => SubscribeCoreAsync(
            Subjects.VerbWildcard(Identity, SubjectVerb.Query),
            Subjects.Build(Identity, SubjectVerb.Query),
            CallControl.SubjectFor(Subjects, Identity),
            handler,
            queueGroup,
            Admission.Of(Options),
            methods: null,
            micro: null,
            cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> for every envelope on <paramref name="subject"/>, which may hold the
    /// <c>*</c> and <c>&gt;</c> wildcards (e.g. <see cref="SubjectScheme.FleetWildcard"/>). Malformed messages are
    /// logged, counted and dropped. Handlers run concurrently, up to <see cref="AgentBusOptions.MaxConcurrentHandlers"/>
    /// at once, so they may finish out of arrival order; set it to 1 to handle envelopes one at a time, in order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="subject"/> is not a valid subject (an empty token, whitespace, a control character, a wildcard inside
    /// a token), <paramref name="queueGroup"/> is not a valid name, or the subscription's protocol line would be longer than
    /// <see cref="AgentBusOptions.MaxControlLineBytes"/>.
    /// </exception>
    /// <exception cref="AnaPermissionException">The NATS server does not let this connection subscribe to <paramref name="subject"/>.</exception>
    public ValueTask<AgentSubscription> SubscribeAsync(
        string subject,
        EnvelopeHandler handler,
        string? queueGroup = null,
        CancellationToken cancellationToken = default)
        => SubscribeCoreAsync(subject, bareSubject: null, controlSubject: null, handler, queueGroup, Admission.Of(Options), methods: null, micro: null, cancellationToken);

    /// <summary>
    /// Announces this agent on <c>&lt;prefix&gt;.&lt;identity&gt;.discovery</c>, with what it serves: the contracts it serves
    /// with <see cref="ServeAsync{TContract}"/> go in <see cref="Discovery.Serves"/> (agent and topics). Core NATS keeps
    /// nothing, so only those listening at that moment (<c>ana discover</c>) see it: announce periodically to stay visible.
    /// </summary>
    /// <param name="role">The agent's role, e.g. <c>worker</c>.</param>
    /// <param name="capabilities">What the agent offers.</param>
    /// <param name="subjectsOwned">
    /// The subjects it serves; defaults to <c>&lt;prefix&gt;.&lt;identity&gt;.&gt;</c> followed by the query subjects
    /// (<c>&lt;prefix&gt;.&lt;agent&gt;.query</c> and <c>&lt;prefix&gt;.&lt;agent&gt;.query.&gt;</c>) of every contract served under
    /// another agent name, so that the subjects announced are the subjects a probe is answered on.
    /// </param>
    /// <param name="cancellationToken">Cancels publishing.</param>
    public ValueTask AnnounceDiscoveryAsync(
        string? role = null,
        IReadOnlyDictionary<string, JsonElement>? capabilities = null,
        IReadOnlyList<string>? subjectsOwned = null,
        CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        List<ServedAgent> served = _subscriptions.Served();
        if (subjectsOwned is null)
        {
            List<string> owned = [Subjects.AgentWildcard(Identity)];
            foreach (ServedAgent agent in served)
            {
                if (!string.Equals(agent.Agent, Identity, StringComparison.Ordinal))
                {
                    owned.Add(Subjects.Build(agent.Agent, SubjectVerb.Query));
                    owned.Add(Subjects.VerbWildcard(agent.Agent, SubjectVerb.Query));
                }
            }

            subjectsOwned = owned;
        }

        Discovery discovery = new(_publisher.Origin())
        {
            Role = role,
            SubjectsOwned = subjectsOwned,
            Capabilities = capabilities,
            Serves = served.Count == 0 ? null : served,
        };
        return _publisher.PublishAsync(Subjects.Build(Identity, SubjectVerb.Discovery), null, discovery, cancellationToken);
    }

    /// <summary>Publishes a heartbeat on <c>&lt;prefix&gt;.&lt;identity&gt;.pulse</c>.</summary>
    public ValueTask PulseAsync(string activity, string? state = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ThrowIfDisposed();
        Pulse pulse = new(_publisher.Origin())
        {
            Activity = activity,
            State = state,
        };
        return _publisher.PublishAsync(Subjects.Build(Identity, SubjectVerb.Pulse), null, pulse, cancellationToken);
    }

    /// <summary>
    /// Publishes any envelope on any subject, stamping <c>clock</c> and <c>host</c> when the envelope has none.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="subject"/> or <paramref name="replyTo"/> is not a valid subject (a wildcard, whitespace, a control
    /// character, an empty token), or the publish's protocol line would be longer than
    /// <see cref="AgentBusOptions.MaxControlLineBytes"/>; nothing is sent.
    /// </exception>
    public ValueTask PublishAsync(string subject, Envelope envelope, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(envelope);
        SubjectToken.ValidateSubject(subject, nameof(subject));
        if (replyTo is not null)
        {
            SubjectToken.ValidateSubject(replyTo, nameof(replyTo));
        }

        _budget.EnsurePublishFits(subject, replyTo);
        ThrowIfDisposed();
        return _publisher.PublishAsync(subject, replyTo, _publisher.CompleteOrigin(envelope), cancellationToken);
    }

    /// <summary>
    /// Stops every subscription as <see cref="AgentSubscription.DisposeAsync"/> does (handlers' tokens cancelled, at
    /// most <see cref="AgentBusOptions.ShutdownGrace"/> of waiting for them), ends the calls still waiting for replies,
    /// flushes the audit log and closes the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Including those a drain is still finishing: disposing ends the drain.
        foreach (AgentSubscription subscription in _subscriptions.Close().Concat(Volatile.Read(ref _draining) ?? []))
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        await _replies.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops gracefully, as a host's shutdown should: every subscription drains at once (see
    /// <see cref="AgentSubscription.DrainAsync"/>: no new queries, running handlers finish and reply, queued queries are
    /// answered <see cref="AnaErrorCodes.Unavailable"/>), all within <paramref name="timeout"/>; then the bus is disposed.
    /// The bus keeps publishing and calling meanwhile, so handlers that call other agents can finish; it takes no new
    /// subscriptions.
    /// </summary>
    /// <param name="timeout">How long the running handlers may take; between zero and 24 days.</param>
    /// <param name="cancellationToken">Ends the drain early, as if the timeout had passed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative or longer than 24 days.</exception>
    public async ValueTask DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        CallTimeouts.ValidateStop(timeout, nameof(timeout));
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        AgentSubscription[] draining = _subscriptions.Close();
        Volatile.Write(ref _draining, draining);
        Task[] drains = new Task[draining.Length];
        for (int i = 0; i < draining.Length; i++)
        {
            drains[i] = draining[i].DrainCoreAsync(deadline.Token).AsTask();
        }

        await Task.WhenAll(drains).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a contract call and waits for its reply, within the method's own timeout or, when it has none,
    /// <see cref="AgentBusOptions.DefaultTimeout"/>, as <paramref name="clientOptions"/> and the ambient
    /// <see cref="AnaCallOptions"/> may change it (see <see cref="CallTimeouts.For"/>); <paramref name="outcome"/> makes the result of the reply.
    /// </summary>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    internal ValueTask<TResult> CallAsync<TOutcome, TResult>(
        TOutcome outcome,
        string querySubject,
        string replySubject,
        string agent,
        string topic,
        CallData arguments,
        TimeSpan? timeout,
        AnaCallOptions? clientOptions,
        ContractCallSignals? signals,
        CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        TimeSpan wait = CallTimeouts.For(timeout, clientOptions, Options);
        if (wait == TimeSpan.Zero)
        {
            // Made while serving a call whose deadline has passed: nobody waits for this one either.
            return new ValueTask<TResult>(outcome.TimedOut(agent, topic, wait));
        }

        _budget.EnsureQueryFits(querySubject, withInbox: true, agent, topic);
        ThrowIfDisposed();
        return _calls.SendAndWaitAsync<TOutcome, TResult>(outcome, querySubject, replySubject, agent, topic, arguments, fields: null, wait, signals, cancellationToken);
    }

    /// <summary>
    /// A streamed call: its window from the first that says one, as for timeouts: the ambient <see cref="AnaCallOptions"/>,
    /// the client's, the method's or the call's own <paramref name="window"/>, the bus's; its
    /// timeout as a call's (<see cref="CallTimeouts.For"/>), bounding the whole stream.
    /// </summary>
    internal IAsyncEnumerable<TItem> StreamAsync<TOutcome, TItem>(
        TOutcome outcome,
        string querySubject,
        string agent,
        string topic,
        string text,
        CallData arguments,
        int? window,
        TimeSpan? timeout,
        TimeSpan? heartbeat,
        AnaCallOptions? clientOptions,
        CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TItem>
    {
        int items = AnaCallOptions.Current?.StreamWindow ?? clientOptions?.StreamWindow ?? window ?? Options.StreamWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1, nameof(window));
        TimeSpan wait = CallTimeouts.For(timeout, clientOptions, Options);
        if (wait == TimeSpan.Zero)
        {
            return Expired<TItem>(agent, topic);
        }

        _budget.EnsureQueryFits(querySubject, withInbox: true, agent, topic);
        ThrowIfDisposed();
        if (heartbeat is { } idle)
        {
            CallTimeouts.Validate(idle, nameof(heartbeat));
        }

        return _calls.StreamAsync<TOutcome, TItem>(outcome, querySubject, agent, topic, text, arguments, items, wait, heartbeat, cancellationToken);

        // Made while serving a call whose deadline has passed: nobody waits for this stream either.
        static async IAsyncEnumerable<T> Expired<T>(string agent, string topic)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            throw new AnaTimeoutException(agent, topic, TimeSpan.Zero);
#pragma warning disable CS0162 // An iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }
    }

    /// <summary>Publishes a one-way contract call.</summary>
    internal ValueTask SendOneWayAsync(string querySubject, string agent, string topic, CallData arguments, CancellationToken cancellationToken)
    {
        _budget.EnsureQueryFits(querySubject, withInbox: false, agent, topic);
        ThrowIfDisposed();
        return _calls.SendAsync(querySubject, agent, topic, arguments, cancellationToken);
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="subject"/> and, when given, to <paramref name="bareSubject"/>
    /// (an agent's query subject without a topic) with the same queue group and the same handler slots: one
    /// <see cref="AgentSubscription"/> that stops both.
    /// </summary>
    internal async ValueTask<AgentSubscription> SubscribeCoreAsync(
        string subject,
        string? bareSubject,
        string? controlSubject,
        EnvelopeHandler handler,
        string? queueGroup,
        Admission admission,
        ServedMethods? methods,
        MicroService? micro,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(handler);
        SubjectToken.ValidateFilter(subject, queueGroup);
        _budget.EnsurePublishFits(subject, queueGroup);
        ThrowIfDisposed();
        InboundDispatcher dispatcher = await InboundDispatcher.StartAsync(
            _transport, _receiver, _responder, Options.ShutdownGrace, subject, bareSubject, controlSubject, queueGroup, handler, methods, micro, admission, cancellationToken)
            .ConfigureAwait(false);
        AgentSubscription subscription = new(dispatcher, _subscriptions) { Micro = micro };
        if (!_subscriptions.TryAdd(subscription))
        {
            // The bus began to stop while this subscription was being made: it would be stopped by nobody.
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(AgentBus), "The bus is stopping: it takes no new subscriptions.");
        }

        return subscription;
    }

    /// <summary>What the bus serves now, as its discovery envelopes announce it.</summary>
    internal List<ServedAgent> Served => _subscriptions.Served();

    /// <summary>How many subscriptions the bus has open (the user's and its served contracts').</summary>
    internal int OpenSubscriptions => _subscriptions.Count;

    /// <summary>How many responders' reply subjects the bus listens on (for calls in flight, or lingering after them).</summary>
    internal int ReplySubjectCount => _replies.ReplySubjectCount;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
