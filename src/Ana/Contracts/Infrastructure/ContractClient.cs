using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana.Contracts.Infrastructure;

/// <summary>The base of generated contract clients: turns a method call into a query and its reply into a result.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ContractClient
{
    private readonly ConcurrentDictionary<string, (string Query, string Reply)> _subjects = new(StringComparer.Ordinal);

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
    {
        if (Bus.Options.ClientFilters is { Count: > 0 } filters)
        {
            return InvokeFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments: null, data: arguments, timeout, isOneWay: false, cancellationToken));
        }

        (string querySubject, string replySubject) = SubjectsOf(topic);
        return Bus.CallAsync(querySubject, replySubject, Agent, topic, arguments, timeout, cancellationToken);
    }

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
        return Bus.Options.ClientFilters is { Count: > 0 } filters
            ? InvokeFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments, data: null, timeout, isOneWay: false, cancellationToken))
            : InvokeAsync(topic, arguments.Data, timeout, cancellationToken);
    }

    /// <summary>Publishes a one-way call to <paramref name="topic"/> and returns once it is sent.</summary>
    protected ValueTask SendAsync(string topic, JsonElement? arguments, CancellationToken cancellationToken)
        => Bus.Options.ClientFilters is { Count: > 0 } filters
            ? SendFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments: null, data: arguments, timeout: null, isOneWay: true, cancellationToken))
            : Bus.SendOneWayAsync(SubjectsOf(topic).Query, Agent, topic, arguments, cancellationToken);

    /// <summary>Publishes a one-way call of the method of <paramref name="arguments"/> through the bus's client filters, which see the arguments typed.</summary>
    protected ValueTask SendAsync(ContractCallArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string topic = arguments.Method.Topic;
        return Bus.Options.ClientFilters is { Count: > 0 } filters
            ? SendFilteredAsync(filters, new AnaClientCall(Bus, Agent, topic, arguments, data: null, timeout: null, isOneWay: true, cancellationToken))
            : SendAsync(topic, arguments.Data, cancellationToken);
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

    private async ValueTask<Reply> InvokeFilteredAsync(IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        => await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false)
            ?? throw new AnaRemoteException(Agent, call.Topic, AnaErrorCodes.BadResponse, "A client filter answered the call with no reply.");

    private async ValueTask SendFilteredAsync(IReadOnlyList<IAnaClientFilter> filters, AnaClientCall call)
        => await new ClientFilterChain(this, filters, call).NextAsync().ConfigureAwait(false);

    private (string Query, string Reply) SubjectsOf(string topic)
        => _subjects.TryGetValue(topic, out (string, string) subjects)
            ? subjects
            : _subjects.GetOrAdd(topic, t => (Bus.Subjects.Build(Agent, SubjectVerb.Query, t), Bus.Subjects.Build(Agent, SubjectVerb.Reply, t)));

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
            (string querySubject, string replySubject) = client.SubjectsOf(call.Topic);
            if (call.IsOneWay)
            {
                await client.Bus.SendOneWayAsync(querySubject, client.Agent, call.Topic, call.Data, call.CancellationToken).ConfigureAwait(false);
                return null;
            }

            return await client.Bus.CallAsync(querySubject, replySubject, client.Agent, call.Topic, call.Data, call.Timeout, call.CancellationToken).ConfigureAwait(false);
        }
    }
}
