using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana.Contracts;

/// <summary>One typed call as a client filter sees it (see <see cref="IAnaClientFilter"/>).</summary>
public sealed class AnaClientCall
{
    private readonly ContractCallArguments? _arguments;
    private readonly CallData _data;

    internal AnaClientCall(AgentBus bus, string agent, string topic, ContractCallArguments? arguments, CallData data, TimeSpan? timeout, bool isOneWay, CancellationToken cancellationToken)
    {
        Bus = bus;
        Agent = agent;
        Topic = topic;
        _arguments = arguments;
        _data = data;
        Timeout = timeout;
        IsOneWay = isOneWay;
        CancellationToken = cancellationToken;
    }

    /// <summary>The bus the call goes through.</summary>
    public AgentBus Bus { get; }

    /// <summary>The agent called.</summary>
    public string Agent { get; }

    /// <summary>The method's topic.</summary>
    public string Topic { get; }

    /// <summary>The contract method called; <see langword="null"/> only for a hand-written client that passes its arguments as JSON.</summary>
    public AnaContractMethod? Method => _arguments?.Method;

    /// <summary>
    /// The arguments the client was called with, typed (by position or by parameter name), the same instances;
    /// <see langword="null"/> only for a hand-written client that passes its arguments as JSON. Reading them writes
    /// nothing: <see cref="Data"/> is written once, when first read or when the call is sent.
    /// </summary>
    public AnaCallArguments? Arguments => _arguments;

    /// <summary>The arguments as the query's <c>data</c> object, as sent; <see langword="null"/> for a method without parameters.</summary>
    public JsonElement? Data => _arguments is { } arguments ? arguments.Data : _data.Json;

    /// <summary>What the query's <c>data</c> is written from when the call is sent.</summary>
    internal CallData SentData => _data;

    /// <summary>The method's own timeout; <see langword="null"/> when the bus's <see cref="AgentBusOptions.DefaultTimeout"/> applies.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Whether the method is one-way (<see cref="AnaOneWayAttribute"/>): no reply is awaited.</summary>
    public bool IsOneWay { get; }

    /// <summary>The caller's token.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The progress reports and heartbeats the call watches, if its method has any.</summary>
    internal ContractCallSignals? Signals { get; init; }

    /// <summary>A reply that answers the call with <paramref name="data"/> without sending it: what a short-circuiting filter returns.</summary>
    public Reply Answer(JsonElement? data) => new()
    {
        From = Agent,
        ReplyFor = Topic,
        Ts = DateTimeOffset.UtcNow,
        Data = data,
    };
}
