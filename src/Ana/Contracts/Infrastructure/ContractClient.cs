using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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

    /// <summary>
    /// The contract's name in telemetry (<c>rpc.method</c> is <c>{Contract}/{topic}</c>): the contract interface's full
    /// name, set by <see cref="AgentBus.Client{TContract}()"/>; the agent's name for a client made otherwise.
    /// </summary>
    internal string Contract
    {
        get => _contract ?? Agent;
        set => _contract = value;
    }

    /// <summary>
    /// Whether the bus runs client filters (<see cref="AgentBusOptions.ClientFilters"/>) around calls: generated methods
    /// then make their typed arguments for the filters; without filters they write the query's <c>data</c> directly.
    /// </summary>
    protected bool HasFilters => Bus.Options.ClientFilters is { Count: > 0 };

    /// <summary>Calls <paramref name="topic"/> and returns its reply, whose <c>data</c> holds the result.</summary>
    /// <param name="topic">The method's topic.</param>
    /// <param name="arguments">The query's <c>data</c>: the arguments as one JSON object, or none.</param>
    /// <param name="timeout">The method's own timeout; the bus's <see cref="AgentBusOptions.DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="AnaRemoteException">The agent replied with an error.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected ValueTask<Reply> InvokeAsync(string topic, JsonElement? arguments, TimeSpan? timeout, CancellationToken cancellationToken)
        => Instrumentation.IsObserved
            ? InvokeObservedAsync(RouteOf(topic), arguments: null, data: arguments, timeout, cancellationToken)
            : InvokeCoreAsync(topic, arguments: null, data: arguments, timeout, cancellationToken);

    /// <summary>
    /// Calls the method of <paramref name="arguments"/> through the bus's client filters, which see the arguments typed:
    /// what generated clients do when <see cref="HasFilters"/>. The arguments are written as the query's <c>data</c> once.
    /// </summary>
    /// <param name="arguments">The method and the values it was called with.</param>
    /// <param name="timeout">The method's own timeout; the bus's <see cref="AgentBusOptions.DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="AnaRemoteException">The agent replied with an error.</exception>
    /// <exception cref="AnaTimeoutException">No reply came within the timeout.</exception>
    /// <exception cref="AnaNoRespondersException">Nobody serves the agent.</exception>
    protected ValueTask<Reply> InvokeAsync(ContractCallArguments arguments, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string topic = arguments.Method.Topic;
        return Instrumentation.IsObserved
            ? InvokeObservedAsync(RouteOf(topic), arguments, data: null, timeout, cancellationToken)
            : InvokeCoreAsync(topic, arguments, data: null, timeout, cancellationToken);
    }

    /// <summary>Publishes a one-way call to <paramref name="topic"/> and returns once it is sent.</summary>
    protected ValueTask SendAsync(string topic, JsonElement? arguments, CancellationToken cancellationToken)
        => Instrumentation.IsObserved
            ? SendObservedAsync(RouteOf(topic), arguments: null, data: arguments, cancellationToken)
            : SendCoreAsync(topic, arguments: null, data: arguments, cancellationToken);

    /// <summary>Publishes a one-way call of the method of <paramref name="arguments"/> through the bus's client filters, which see the arguments typed.</summary>
    protected ValueTask SendAsync(ContractCallArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string topic = arguments.Method.Topic;
        return Instrumentation.IsObserved
            ? SendObservedAsync(RouteOf(topic), arguments, data: null, cancellationToken)
            : SendCoreAsync(topic, arguments, data: null, cancellationToken);
    }

    /// <summary>Reads a call's result from the reply's <c>data</c>.</summary>
    /// <exception cref="AnaRemoteException">The data does not fit the contract's return type.</exception>
    protected T ReadResult<T>(JsonElement? data, JsonTypeInfo<T> typeInfo, string topic, bool allowNull)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (data is not { ValueKind: not JsonValueKind.Null } element)
        {
            return allowNull
                ? default!
                : throw new AnaRemoteException(Agent, topic, AnaErrorCodes.BadResponse, "The reply has no data, but the contract returns a value.");
        }

        try
        {
            T? value = DiscriminatorOrder.Normalize(element, typeInfo).Deserialize(typeInfo);
            return value is not null || allowNull
                ? value!
                : throw new AnaRemoteException(Agent, topic, AnaErrorCodes.BadResponse, "The reply has no data, but the contract returns a value.");
        }
        catch (JsonException ex)
        {
            throw new AnaRemoteException(Agent, topic, AnaErrorCodes.BadResponse, $"The reply does not fit the contract: {ContractArguments.WithPath(ex)}");
        }
        catch (NotSupportedException ex)
        {
            // An abstract polymorphic base without its type discriminator cannot be instantiated.
            throw new AnaRemoteException(Agent, topic, AnaErrorCodes.BadResponse, $"The reply does not fit the contract: {ex.Message}");
        }
    }

    /// <summary>
    /// A call through the client filters, if the bus has any, or straight to the bus. Its arguments are either typed
    /// (<paramref name="arguments"/>, written as the query's <c>data</c> once, when the call is sent) or written already
    /// (<paramref name="data"/>).
    /// </summary>
    private ValueTask<Reply> InvokeCoreAsync(string topic, ContractCallArguments? arguments, JsonElement? data, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (Bus.Options.ClientFilters is { Count: > 0 } filters)
        {
            return InvokeFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments, data, timeout, isOneWay: false, cancellationToken));
        }

        TopicRoute route = RouteOf(topic);
        return Bus.CallAsync(route.Query, route.Reply, Agent, topic, arguments is null ? data : arguments.Data, timeout, cancellationToken);
    }

    private ValueTask SendCoreAsync(string topic, ContractCallArguments? arguments, JsonElement? data, CancellationToken cancellationToken)
        => Bus.Options.ClientFilters is { Count: > 0 } filters
            ? SendFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments, data, timeout: null, isOneWay: true, cancellationToken))
            : Bus.SendOneWayAsync(RouteOf(topic).Query, Agent, topic, arguments is null ? data : arguments.Data, cancellationToken);

    /// <summary>
    /// A call with its CLIENT span (current while the filters run and the query is sent, so the query carries it) and
    /// its duration; filters run inside the span, since what they do is part of the call as its caller sees it.
    /// </summary>
    private async ValueTask<Reply> InvokeObservedAsync(TopicRoute route, ContractCallArguments? arguments, JsonElement? data, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Query, Agent, oneWay: false);
        CallMetrics.ClientStarted(route.Method);
        string? errorType = null;
        try
        {
            return await InvokeCoreAsync(route.Topic, arguments, data, timeout, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask SendObservedAsync(TopicRoute route, ContractCallArguments? arguments, JsonElement? data, CancellationToken cancellationToken)
    {
        using Activity? activity = CallSpans.StartTyped(route.Method, route.Query, Agent, oneWay: true);
        try
        {
            await SendCoreAsync(route.Topic, arguments, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallSpans.Fail(activity, CallSpans.ErrorTypeOf(ex));
            throw;
        }
    }

    private async ValueTask<Reply> InvokeFilteredAsync(IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        => await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false)
            ?? throw new AnaRemoteException(Agent, call.Topic, AnaErrorCodes.BadResponse, "A client filter answered the call with no reply.");

    private async ValueTask SendFilteredAsync(IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        => await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false);

    private TopicRoute RouteOf(string topic)
        => _routes.TryGetValue(topic, out TopicRoute? route)
            ? route
            : _routes.GetOrAdd(topic, static (t, client) => new TopicRoute(
                t,
                client.Bus.Subjects.Build(client.Agent, SubjectVerb.Query, t),
                client.Bus.Subjects.Build(client.Agent, SubjectVerb.Reply, t),
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
                await client.Bus.SendOneWayAsync(route.Query, client.Agent, call.Topic, call.Data, call.CancellationToken).ConfigureAwait(false);
                return null;
            }

            return await client.Bus.CallAsync(route.Query, route.Reply, client.Agent, call.Topic, call.Data, call.Timeout, call.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Where a topic's calls go, and their name in telemetry.</summary>
    private sealed record TopicRoute(string Topic, string Query, string Reply, string Method);
}
