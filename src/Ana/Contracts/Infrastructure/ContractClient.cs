using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Internal;
using Ana.Telemetry;

namespace Ana.Contracts.Infrastructure;

/// <summary>The base of generated contract clients: turns a method call into a query and its reply into a result.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ContractClient
{
    private readonly ConcurrentDictionary<string, TopicRoute> _routes = new(StringComparer.Ordinal);
    private string? _contract;

    /// <summary>Creates a client that calls <paramref name="agent"/> over <paramref name="bus"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is not a valid agent name.</exception>
    protected ContractClient(AgentBus bus, string agent)
    {
        ArgumentNullException.ThrowIfNull(bus);
        SubjectToken.ValidateAgent(agent, nameof(agent));
        Bus = bus;
        Agent = agent;
    }

    /// <summary>The bus the calls go through.</summary>
    public AgentBus Bus { get; }

    /// <summary>The agent called.</summary>
    public string Agent { get; }

    /// <summary>The options of every call of this client (<see cref="AgentBus.Client{TContract}(string, AnaCallOptions)"/>), if it was given any.</summary>
    internal AnaCallOptions? CallOptions { get; set; }

    /// <summary>
    /// The contract's name in telemetry (<c>rpc.method</c> is <c>{Contract}/{topic}</c>): the contract interface's full
    /// name, set by <see cref="AgentBus.Client{TContract}()"/>; the agent's name for a client made otherwise.
    /// </summary>
    internal string Contract
    {
        get => _contract ?? Agent;
        set => _contract = value;
    }

    /// <summary>Calls <paramref name="topic"/> and returns its reply, whose <c>data</c> holds the result: for hand-written clients.</summary>
    /// <param name="topic">The method's topic.</param>
    /// <param name="arguments">The query's <c>data</c>: the arguments as one JSON object, or none.</param>
    /// <param name="timeout">The method's own timeout; the bus's <see cref="AgentBusOptions.DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="AnaRemoteException">The agent replied with an error.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected ValueTask<Reply> InvokeAsync(string topic, JsonElement? arguments, TimeSpan? timeout, CancellationToken cancellationToken)
        => CallCoreAsync<ReplyOrThrow, Reply>(default, RouteOf(topic), arguments: null, CallData.Of(arguments), timeout, signals: null, cancellationToken);

    /// <summary>
    /// Calls the method of <paramref name="arguments"/> and returns its result, read from the reply's <c>data</c>: what
    /// generated clients do. The arguments are written straight into the query; client filters, if the bus has any,
    /// see them typed.
    /// </summary>
    /// <param name="arguments">The method and the values it was called with.</param>
    /// <param name="resultType">The metadata of the method's result type.</param>
    /// <param name="allowNull">Whether the result may be <see langword="null"/> (or absent).</param>
    /// <param name="timeout">The method's own timeout; the bus's <see cref="AgentBusOptions.DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="AnaRemoteException">The agent replied with an error, or with data that does not fit the result type.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected ValueTask<TResult> CallAsync<TResult>(ContractCallArguments arguments, JsonTypeInfo<TResult> resultType, bool allowNull, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(resultType);
        return CallCoreAsync<ContractResult<TResult>, TResult>(
            new ContractResult<TResult>(resultType, allowNull), RouteOf(arguments.Method.Topic), arguments, CallData.Of(arguments), timeout, signals: null, cancellationToken);
    }

    /// <summary>
    /// Calls the method of <paramref name="arguments"/> as <see cref="CallAsync{TResult}(ContractCallArguments, JsonTypeInfo{TResult}, bool, TimeSpan?, CancellationToken)"/>
    /// does, watching the <paramref name="signals"/> its agent sends while it works: progress reports, handed to the
    /// caller's <see cref="IProgress{T}"/> before the result, and heartbeats, which keep a call with a heartbeat deadline
    /// alive. What generated clients do for a method with an <see cref="IProgress{T}"/> parameter or <c>[AnaHeartbeat]</c>.
    /// </summary>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout, or no sign of life within the heartbeat deadline (<see cref="AnaTimeoutException.IsIdle"/>).</exception>
    protected ValueTask<TResult> CallAsync<TResult>(ContractCallArguments arguments, JsonTypeInfo<TResult> resultType, bool allowNull, TimeSpan? timeout, ContractCallSignals signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(resultType);
        ArgumentNullException.ThrowIfNull(signals);
        return CallCoreAsync<ContractResult<TResult>, TResult>(
            new ContractResult<TResult>(resultType, allowNull), RouteOf(arguments.Method.Topic), arguments, CallData.Of(arguments), timeout, signals, cancellationToken);
    }

    /// <summary>Calls the method of <paramref name="arguments"/>, which returns no value, watching the <paramref name="signals"/> its agent sends while it works.</summary>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout, or no sign of life within the heartbeat deadline (<see cref="AnaTimeoutException.IsIdle"/>).</exception>
    protected ValueTask CallAsync(ContractCallArguments arguments, TimeSpan? timeout, ContractCallSignals signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(signals);
        ValueTask<bool> done = CallCoreAsync<ContractCompletion, bool>(
            default, RouteOf(arguments.Method.Topic), arguments, CallData.Of(arguments), timeout, signals, cancellationToken);
        return done.IsCompletedSuccessfully ? default : AwaitAsync(done);

        static async ValueTask AwaitAsync(ValueTask<bool> done) => await done.ConfigureAwait(false);
    }

    /// <summary>Calls the method of <paramref name="arguments"/>, which returns no value, and returns once its reply says it is done.</summary>
    /// <exception cref="AnaRemoteException">The agent replied with an error.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected ValueTask CallAsync(ContractCallArguments arguments, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ValueTask<bool> done = CallCoreAsync<ContractCompletion, bool>(
            default, RouteOf(arguments.Method.Topic), arguments, CallData.Of(arguments), timeout, signals: null, cancellationToken);
        return done.IsCompletedSuccessfully ? default : AwaitAsync(done);

        static async ValueTask AwaitAsync(ValueTask<bool> done) => await done.ConfigureAwait(false);
    }

    /// <summary>
    /// Calls the method of <paramref name="arguments"/>, which returns <see cref="IAsyncEnumerable{T}"/>, and yields its
    /// items as they arrive, each read as <typeparamref name="TItem"/> from its reply's <c>data</c>: what generated clients
    /// do. See <see cref="AgentBus.QueryStreamAsync"/> for the flow control, the end and the errors. A stream is one
    /// CLIENT span, from the query to the end of the enumeration; client filters do not see streamed calls.
    /// </summary>
    /// <param name="arguments">The method and the values it was called with.</param>
    /// <param name="itemType">The metadata of the stream's item type.</param>
    /// <param name="allowNull">Whether an item may be <see langword="null"/>.</param>
    /// <param name="window">The method's own window; the client's, the scope's or the bus's when <see langword="null"/>.</param>
    /// <param name="timeout">The method's own timeout, which bounds the whole stream; the bus's default when <see langword="null"/>.</param>
    /// <param name="heartbeat">The method's heartbeat deadline (<c>[AnaHeartbeat]</c>): the stream fails when no item or heartbeat comes for that long.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="AnaRemoteException">The agent ended the stream with an error, or sent an item that does not fit the item type.</exception>
    /// <exception cref="AnaTimeoutException">The stream did not end within the timeout, or gave no sign of life within the heartbeat deadline.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected IAsyncEnumerable<TItem> StreamAsync<TItem>(ContractCallArguments arguments, JsonTypeInfo<TItem> itemType, bool allowNull, int? window, TimeSpan? timeout, TimeSpan? heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(itemType);
        TopicRoute route = RouteOf(arguments.Method.Topic);
        IAsyncEnumerable<TItem> items = Bus.StreamAsync<ContractResult<TItem>, TItem>(
            new ContractResult<TItem>(itemType, allowNull), route.Query, Agent, route.Topic, route.Topic, CallData.Of(arguments), window, timeout, heartbeat, CallOptions, cancellationToken);
        return Instrumentation.IsObserved ? StreamObservedAsync(items, route, CancellationToken.None) : items;
    }

    /// <summary>
    /// A stream with its CLIENT span and duration, from the first item asked for (when the query is sent, carrying the
    /// span) to the end of the enumeration, however it ends: the last item, an error, or the caller stopping early.
    /// </summary>
    private async IAsyncEnumerable<TItem> StreamObservedAsync<TItem>(IAsyncEnumerable<TItem> items, TopicRoute route, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Query, Agent, oneWay: false);
        CallMetrics.ClientStarted(route.Method);
        string? errorType = null;
        IAsyncEnumerator<TItem> enumerator = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    errorType = CallSpans.ErrorTypeOf(ex);
                    CallSpans.Fail(activity, errorType);
                    throw;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            CallMetrics.ClientEnded(route.Method, started, errorType);
        }
    }

    /// <summary>Publishes a one-way call to <paramref name="topic"/> and returns once it is sent: for hand-written clients.</summary>
    protected ValueTask SendAsync(string topic, JsonElement? arguments, CancellationToken cancellationToken)
        => Instrumentation.IsObserved
            ? SendObservedAsync(RouteOf(topic), arguments: null, CallData.Of(arguments), cancellationToken)
            : SendCoreAsync(RouteOf(topic), arguments: null, CallData.Of(arguments), cancellationToken);

    /// <summary>
    /// Publishes a one-way call of the method of <paramref name="arguments"/>, written straight into the query, and
    /// returns once it is sent; client filters, if the bus has any, see the arguments typed.
    /// </summary>
    protected ValueTask SendAsync(ContractCallArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        TopicRoute route = RouteOf(arguments.Method.Topic);
        return Instrumentation.IsObserved
            ? SendObservedAsync(route, arguments, CallData.Of(arguments), cancellationToken)
            : SendCoreAsync(route, arguments, CallData.Of(arguments), cancellationToken);
    }

    /// <summary>
    /// Stores a durable one-way call of the method of <paramref name="arguments"/> (<see cref="AnaDurableAttribute"/>) in
    /// the prefix's JetStream work stream and returns once JetStream has confirmed storage; client filters do not see
    /// durable calls.
    /// </summary>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c> or <c>not_stored</c> (see <see cref="AgentBus.EnqueueDurableAsync"/>).</exception>
    protected ValueTask SendDurableAsync(ContractCallArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        TopicRoute route = RouteOf(arguments.Method.Topic);
        return Instrumentation.IsObserved
            ? SendDurableObservedAsync(route, CallData.Of(arguments), cancellationToken)
            : Bus.SendDurableAsync(route.Work, Agent, route.Topic, CallData.Of(arguments), cancellationToken);
    }

    /// <summary>
    /// Stores a durable call of the method of <paramref name="arguments"/> (<see cref="AnaDurableAttribute"/>) and waits
    /// for its reply, within <paramref name="timeout"/> or <see cref="DurableOptions.DefaultCallTimeout"/>; returns the
    /// result read from the reply's <c>data</c>. Client filters do not see durable calls.
    /// </summary>
    /// <exception cref="AnaRemoteException">The agent replied with an error, or with data that does not fit the result type.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout (the call may still be stored, or done).</exception>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c> or <c>not_stored</c> (see <see cref="AgentBus.QueryDurableAndWaitAsync"/>).</exception>
    protected ValueTask<TResult> CallDurableAsync<TResult>(ContractCallArguments arguments, JsonTypeInfo<TResult> resultType, bool allowNull, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(resultType);
        return CallDurableCoreAsync<ContractResult<TResult>, TResult>(
            new ContractResult<TResult>(resultType, allowNull), RouteOf(arguments.Method.Topic), CallData.Of(arguments), timeout, cancellationToken);
    }

    /// <summary>Stores a durable call of the method of <paramref name="arguments"/>, which returns no value, and returns once its reply says it is done.</summary>
    /// <exception cref="AnaRemoteException">The agent replied with an error.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout (the call may still be stored, or done).</exception>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c> or <c>not_stored</c> (see <see cref="AgentBus.QueryDurableAndWaitAsync"/>).</exception>
    protected async ValueTask CallDurableAsync(ContractCallArguments arguments, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        await CallDurableCoreAsync<ContractCompletion, bool>(default, RouteOf(arguments.Method.Topic), CallData.Of(arguments), timeout, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<TResult> CallDurableCoreAsync<TOutcome, TResult>(TOutcome outcome, TopicRoute route, CallData data, TimeSpan? timeout, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
        => Instrumentation.IsObserved
            ? CallDurableObservedAsync<TOutcome, TResult>(outcome, route, data, timeout, cancellationToken)
            : Bus.CallDurableAsync<TOutcome, TResult>(outcome, route.Work, route.Reply, Agent, route.Topic, data, timeout, CallOptions, cancellationToken);

    private async ValueTask<TResult> CallDurableObservedAsync<TOutcome, TResult>(TOutcome outcome, TopicRoute route, CallData data, TimeSpan? timeout, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Work, Agent, oneWay: false);
        CallMetrics.ClientStarted(route.Method);
        string? errorType = null;
        try
        {
            return await Bus.CallDurableAsync<TOutcome, TResult>(outcome, route.Work, route.Reply, Agent, route.Topic, data, timeout, CallOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            errorType = CallSpans.ErrorTypeOf(ex);
            CallSpans.Fail(activity, errorType);
            throw;
        }
        finally
        {
            CallMetrics.ClientEnded(route.Method, started, errorType);
        }
    }

    private async ValueTask SendDurableObservedAsync(TopicRoute route, CallData data, CancellationToken cancellationToken)
    {
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Work, Agent, oneWay: true);
        try
        {
            await Bus.SendDurableAsync(route.Work, Agent, route.Topic, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallSpans.Fail(activity, CallSpans.ErrorTypeOf(ex));
            throw;
        }
    }

    /// <summary>Reads a call's result from the reply's <c>data</c>.</summary>
    /// <exception cref="AnaRemoteException">The data does not fit the contract's return type.</exception>
    protected T ReadResult<T>(JsonElement? data, JsonTypeInfo<T> typeInfo, string topic, bool allowNull)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return ContractResults.Read(data, typeInfo, Agent, topic, allowNull);
    }

    /// <summary>A call, with its CLIENT span and duration when someone listens.</summary>
    private ValueTask<TResult> CallCoreAsync<TOutcome, TResult>(TOutcome outcome, TopicRoute route, ContractCallArguments? arguments, CallData data, TimeSpan? timeout, ContractCallSignals? signals, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
        => Instrumentation.IsObserved
            ? CallObservedAsync<TOutcome, TResult>(outcome, route, arguments, data, timeout, signals, cancellationToken)
            : CallThroughAsync<TOutcome, TResult>(outcome, route, arguments, data, timeout, signals, cancellationToken);

    /// <summary>
    /// A call through the client filters, if the bus has any, or straight to the bus. Its <paramref name="data"/> is
    /// written into the query when it is sent; <paramref name="arguments"/>, when the call has them typed, are what the
    /// filters see.
    /// </summary>
    private ValueTask<TResult> CallThroughAsync<TOutcome, TResult>(TOutcome outcome, TopicRoute route, ContractCallArguments? arguments, CallData data, TimeSpan? timeout, ContractCallSignals? signals, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
        => Bus.Options.ClientFilters is { Count: > 0 } filters
            ? CallFilteredAsync<TOutcome, TResult>(outcome, filters, new AnaClientCall(Bus, Agent, route.Topic, arguments, data, timeout, isOneWay: false, cancellationToken) { Signals = signals })
            : Bus.CallAsync<TOutcome, TResult>(outcome, route.Query, route.Reply, Agent, route.Topic, data, timeout, CallOptions, signals, cancellationToken);

    private ValueTask SendCoreAsync(TopicRoute route, ContractCallArguments? arguments, CallData data, CancellationToken cancellationToken)
        => Bus.Options.ClientFilters is { Count: > 0 } filters
            ? SendFilteredAsync(filters, new AnaClientCall(Bus, Agent, route.Topic, arguments, data, timeout: null, isOneWay: true, cancellationToken))
            : Bus.SendOneWayAsync(route.Query, Agent, route.Topic, data, cancellationToken);

    /// <summary>
    /// A call with its CLIENT span (current while the filters run and the query is sent, so the query carries it) and
    /// its duration; filters run inside the span, since what they do is part of the call as its caller sees it.
    /// </summary>
    private async ValueTask<TResult> CallObservedAsync<TOutcome, TResult>(TOutcome outcome, TopicRoute route, ContractCallArguments? arguments, CallData data, TimeSpan? timeout, ContractCallSignals? signals, CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Query, Agent, oneWay: false);
        CallMetrics.ClientStarted(route.Method);
        string? errorType = null;
        try
        {
            return await CallThroughAsync<TOutcome, TResult>(outcome, route, arguments, data, timeout, signals, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            errorType = CallSpans.ErrorTypeOf(ex);
            CallSpans.Fail(activity, errorType);
            throw;
        }
        finally
        {
            CallMetrics.ClientEnded(route.Method, started, errorType);
        }
    }

    private async ValueTask SendObservedAsync(TopicRoute route, ContractCallArguments? arguments, CallData data, CancellationToken cancellationToken)
    {
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Query, Agent, oneWay: true);
        try
        {
            await SendCoreAsync(route, arguments, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallSpans.Fail(activity, CallSpans.ErrorTypeOf(ex));
            throw;
        }
    }

    private async ValueTask<TResult> CallFilteredAsync<TOutcome, TResult>(TOutcome outcome, IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        Reply reply = await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false)
            ?? throw new AnaRemoteException(Agent, call.Topic, AnaErrorCodes.BadResponse, "A client filter answered the call with no reply.");
        return outcome.FromReply(reply, Agent, call.Topic);
    }

    private async ValueTask SendFilteredAsync(IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        => await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false);

    private TopicRoute RouteOf(string topic)
        => _routes.TryGetValue(topic, out TopicRoute? route)
            ? route
            : _routes.GetOrAdd(topic, static (t, client) => new TopicRoute(
                t,
                client.Bus.Subjects.Build(client.Agent, SubjectVerb.Query, t),
                client.Bus.Subjects.Build(client.Agent, SubjectVerb.Reply, t),
                client.Bus.Subjects.Build(client.Agent, SubjectVerb.Work, t),
                string.Concat(client.Contract, "/", t)), this);

    /// <summary>One call's walk through the bus's client filters, then the call itself.</summary>
    private sealed class ClientFilterChain(ContractClient client, IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
    {
        private int _next;

        public ValueTask<Reply?> NextAsync()
        {
            int index = _next++;
            return index < filters.Count ? filters[index].InvokeAsync(call, NextAsync) : SendAsync();
        }

        private async ValueTask<Reply?> SendAsync()
        {
            TopicRoute route = client.RouteOf(call.Topic);
            if (call.IsOneWay)
            {
                await client.Bus.SendOneWayAsync(route.Query, client.Agent, call.Topic, call.SentData, call.CancellationToken).ConfigureAwait(false);
                return null;
            }

            return await client.Bus.CallAsync<ReplyOrThrow, Reply>(default, route.Query, route.Reply, client.Agent, call.Topic, call.SentData, call.Timeout, client.CallOptions, call.Signals, call.CancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Where a topic's calls go, and their name in telemetry.</summary>
    private sealed record TopicRoute(string Topic, string Query, string Reply, string Work, string Method);
}
