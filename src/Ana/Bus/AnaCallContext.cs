namespace Ana;

/// <summary>
/// The call being served: who sent it, its request id, its topic, its deadline. The bus sets
/// <see cref="Current"/> while a handler runs for a query (a contract method served by
/// <see cref="AgentBus.ServeAsync{TContract}"/>, or an <see cref="EnvelopeHandler"/> of
/// <see cref="AgentBus.SubscribeToMeAsync"/> or <see cref="AgentBus.SubscribeAsync"/> given a query), so that an
/// implementation sees its caller without any change to the contract it implements.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Current"/> is an <see cref="AsyncLocal{T}"/>: it flows into everything the handler awaits and into the
/// tasks it starts (they see the call that started them, by design, even after it has ended), never back to the bus,
/// and never into work started with the execution context suppressed
/// (<see cref="ExecutionContext.SuppressFlow"/>, <see cref="ThreadPool.UnsafeQueueUserWorkItem(WaitCallback, object?)"/>).
/// Outside a handler, and after the handler's call has ended, it is <see langword="null"/>.
/// </para>
/// <para>
/// This is the one notion of "the call" on the serving side: server filters (<see cref="Contracts.IAnaServerFilter"/>)
/// are given it, and headers and metadata, when they travel, will be in it.
/// </para>
/// </remarks>
public sealed class AnaCallContext
{
    private static readonly AsyncLocal<AnaCallContext?> CurrentCall = new();

    private readonly SubjectScheme _subjects;

    // Not a DateTimeOffset?, whose flag would cost every call 8 bytes: default means no deadline.
    private readonly DateTimeOffset _deadline;
    private string? _agent;
    private string? _topic;
    private bool _parsed;

    internal AnaCallContext(Query query, InboundContext inbound, SubjectScheme subjects, DateTimeOffset? deadline)
    {
        Query = query;
        Inbound = inbound;
        _subjects = subjects;
        _deadline = deadline.GetValueOrDefault();
    }

    /// <summary>The call this asynchronous flow serves, or <see langword="null"/> outside a handler for a query.</summary>
    public static AnaCallContext? Current
    {
        get => CurrentCall.Value;
        internal set => CurrentCall.Value = value;
    }

    /// <summary>The query being served, as it arrived.</summary>
    public Query Query { get; }

    /// <summary>The caller: the query's <c>from</c>. It is what the caller says it is; NATS permissions make it trustworthy.</summary>
    public string From => Query.From;

    /// <summary>The query's <c>request_id</c>, echoed in the reply; <see langword="null"/> when the caller sent none.</summary>
    public string? RequestId => Query.RequestId;

    /// <summary>
    /// Which delivery of a stored (durable) query this run is: 1 the first time, and for every query over core NATS;
    /// more when JetStream delivers it again after a server died on it, an acknowledgement was lost or a one-way handler
    /// failed. A durable handler can run more than once for one call: key its side effects by <see cref="RequestId"/>.
    /// </summary>
    public int DeliveryAttempt { get; internal init; } = 1;

    /// <summary>The subject the query arrived on, e.g. <c>cc.fleet.planner.query.plan</c>.</summary>
    public string Subject => Inbound.Subject;

    /// <summary>
    /// The agent the query is addressed to: the agent token of <see cref="Subject"/> (the name a contract is served
    /// under, which may differ from the bus's identity), or the query's <c>to</c> on a subject outside the bus's scheme.
    /// </summary>
    public string Agent
    {
        get
        {
            Parse();
            return _agent ?? Query.To;
        }
    }

    /// <summary>
    /// The topic of <see cref="Subject"/>: <see cref="AgentBus.DefaultTopic"/> for a query on the bare
    /// <c>&lt;prefix&gt;.&lt;agent&gt;.query</c>, and <see langword="null"/> on a subject outside the bus's scheme.
    /// </summary>
    public string? Topic
    {
        get
        {
            Parse();
            return _topic;
        }
    }

    /// <summary>
    /// When the caller stops waiting, by this machine's clock: the moment the handler started plus the query's
    /// <c>timeout_s</c> (the caller's clock and its <c>ts</c> are not trusted: peers' clocks differ). It is when
    /// <see cref="CancellationToken"/> fires for the caller's timeout; <see langword="null"/> when the query states none
    /// (a plain query of a Python peer).
    /// </summary>
    public DateTimeOffset? Deadline => _deadline == default ? null : _deadline;

    /// <summary>
    /// Cancelled when the caller stops waiting (<see cref="Deadline"/>) or the subscription stops; the token the
    /// contract method was given, if it takes one.
    /// </summary>
    public CancellationToken CancellationToken => Inbound.CancellationToken;

    /// <summary>
    /// The contract method called, when the contract is served with server filters (<see cref="Contracts.ServeOptions.Filters"/>);
    /// <see langword="null"/> otherwise, and for a topic the contract does not have.
    /// </summary>
    public Contracts.AnaContractMethod? Method => Arguments?.Method;

    /// <summary>
    /// The call's arguments, typed, when the contract is served with server filters (<see cref="Contracts.ServeOptions.Filters"/>):
    /// read from the query's <c>data</c> the first time a value is asked for, and then handed to the method as they are.
    /// <see langword="null"/> otherwise, and for a topic the contract does not have; <see cref="Query"/> holds them as JSON.
    /// </summary>
    public Contracts.AnaCallArguments? Arguments { get; internal set; }

    /// <summary>Whether the call has been answered.</summary>
    public bool HasReplied => Inbound.HasReplied;

    /// <summary>The handler's context, which answers the query.</summary>
    internal InboundContext Inbound { get; }

    /// <summary>
    /// Answers the call with <paramref name="data"/> now: what a server filter that short-circuits a call does (see
    /// <see cref="Contracts.IAnaServerFilter"/>). A contract method returns its result instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call was answered already.</exception>
    public ValueTask ReplyAsync(System.Text.Json.JsonElement? data, CancellationToken cancellationToken = default)
        => Inbound.ReplyAsync(data, cancellationToken);

    private void Parse()
    {
        if (Volatile.Read(ref _parsed))
        {
            return;
        }

        // Two threads may parse at once: they find the same names.
        if (_subjects.TryParse(Subject, out AgentSubject target))
        {
            _agent = target.Agent;
            _topic = target.Topic ?? (target.Verb == SubjectVerb.Query ? AgentBus.DefaultTopic : null);
        }

        Volatile.Write(ref _parsed, true);
    }
}
