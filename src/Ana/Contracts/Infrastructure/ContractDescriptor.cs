using System.ComponentModel;
using System.Text.Json;
using Ana.Durable;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// What the generator registers for one contract: its agent name, how to make a client and how to make a dispatcher.
/// Used by generated code; not meant to be written by hand.
/// </summary>
/// <typeparam name="TContract">The contract interface.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContractDescriptor<TContract>
    where TContract : class
{
    private readonly IReadOnlyList<DurableTopic>? _durableTopics;

    /// <summary>Describes a contract.</summary>
    /// <param name="agentName">The agent name of <see cref="AnaAgentAttribute"/>.</param>
    /// <param name="createClient">Makes a client that calls the given agent over the given bus.</param>
    /// <param name="createDispatcher">Makes the dispatcher that routes calls to an implementation.</param>
    public ContractDescriptor(string agentName, Func<AgentBus, string, TContract> createClient, Func<TContract, IContractDispatcher> createDispatcher)
        : this(agentName, createClient, createDispatcher, topics: null)
    {
    }

    /// <summary>Describes a contract and the topics its dispatcher answers.</summary>
    /// <param name="agentName">The agent name of <see cref="AnaAgentAttribute"/>.</param>
    /// <param name="createClient">Makes a client that calls the given agent over the given bus.</param>
    /// <param name="createDispatcher">Makes the dispatcher that routes calls to an implementation.</param>
    /// <param name="topics">The topics of the contract's methods, announced by <see cref="AgentBus.ServeAsync{TContract}"/>.</param>
    public ContractDescriptor(
        string agentName,
        Func<AgentBus, string, TContract> createClient,
        Func<TContract, IContractDispatcher> createDispatcher,
        IReadOnlyList<string>? topics)
        : this(agentName, createClient, createDispatcher, topics, receiveArguments: null)
    {
    }

    /// <summary>Describes a contract, the topics its dispatcher answers and how server filters see a call's arguments.</summary>
    /// <param name="agentName">The agent name of <see cref="AnaAgentAttribute"/>.</param>
    /// <param name="createClient">Makes a client that calls the given agent over the given bus.</param>
    /// <param name="createDispatcher">Makes the dispatcher that routes calls to an implementation.</param>
    /// <param name="topics">The topics of the contract's methods, announced by <see cref="AgentBus.ServeAsync{TContract}"/>.</param>
    /// <param name="receiveArguments">The arguments of a query on a topic, read lazily from its <c>data</c> (see <see cref="ReceiveArguments"/>).</param>
    public ContractDescriptor(
        string agentName,
        Func<AgentBus, string, TContract> createClient,
        Func<TContract, IContractDispatcher> createDispatcher,
        IReadOnlyList<string>? topics,
        Func<string, JsonElement?, ContractCallArguments?>? receiveArguments)
    {
        AgentName = agentName;
        CreateClient = createClient;
        CreateDispatcher = createDispatcher;
        Topics = topics;
        ReceiveArguments = receiveArguments;
    }

    /// <summary>The agent name of <see cref="AnaAgentAttribute"/>.</summary>
    public string AgentName { get; }

    /// <summary>The contract's name in telemetry: the interface's full name, nested types joined with dots.</summary>
    internal string ContractName { get; } = (typeof(TContract).FullName ?? typeof(TContract).Name).Replace('+', '.');

    /// <summary>The topics of the contract's methods, or <see langword="null"/> when the registration did not give them.</summary>
    public IReadOnlyList<string>? Topics { get; }

    /// <summary>
    /// The contract's version, from <c>[AnaAgent(Version = ...)]</c>, or <see langword="null"/> when it declares none
    /// (NATS micro discovery then shows the contract assembly's version).
    /// </summary>
    public string? Version { get; init; }

    /// <summary>
    /// The C# signature of each method as declared, in the order of <see cref="Topics"/>, or <see langword="null"/> when
    /// the registration did not give them. Shown in the metadata of NATS micro endpoints.
    /// </summary>
    public IReadOnlyList<string>? Signatures { get; init; }

    /// <summary>
    /// The JSON Schemas of each method, in the order of <see cref="Topics"/>, or <see langword="null"/> when the
    /// registration did not give them. Shown in the metadata of NATS micro endpoints and by <c>ana describe</c>.
    /// </summary>
    public IReadOnlyList<ContractMethodSchemas>? Schemas { get; init; }

    /// <summary>
    /// The contract's durable methods (<see cref="AnaDurableAttribute"/>), or <see langword="null"/> when it has none:
    /// <see cref="AgentBus.ServeAsync{TContract}"/> also takes their stored work from JetStream.
    /// </summary>
    public IReadOnlyList<DurableTopic>? DurableTopics
    {
        get => _durableTopics;
        init
        {
            _durableTopics = value;
            Durable = value is { Count: > 0 } ? DurableServing.Create() : null;
        }
    }

    /// <summary>
    /// How <see cref="AgentBus.ServeAsync{TContract}"/> takes the durable methods' stored work; <see langword="null"/> when
    /// the contract has none. Created here, where only a durable contract's generated descriptor reaches, so that a
    /// NativeAOT binary without durable contracts compiles none of it (see <see cref="DurableServing"/>).
    /// </summary>
    internal DurableServing? Durable { get; private set; }

    /// <summary>Makes a client that calls the given agent over the given bus.</summary>
    public Func<AgentBus, string, TContract> CreateClient { get; }

    /// <summary>Makes the dispatcher that routes calls to an implementation.</summary>
    public Func<TContract, IContractDispatcher> CreateDispatcher { get; }

    /// <summary>
    /// Makes the arguments of a query on the given topic from its <c>data</c>, to be read when a server filter first asks
    /// for them (<see cref="AnaCallContext.Arguments"/>, where the generated dispatcher takes them from, so that they are
    /// read once); <see langword="null"/> for a topic the contract does not have. <see langword="null"/> when the
    /// registration did not give it: filters then see no typed arguments.
    /// </summary>
    public Func<string, JsonElement?, ContractCallArguments?>? ReceiveArguments { get; }

    /// <summary>Whether <paramref name="other"/> describes the same contract the same way: same agent name, same factories.</summary>
    internal bool Describes(ContractDescriptor<TContract> other)
        => string.Equals(AgentName, other.AgentName, StringComparison.Ordinal)
            && CreateClient.Equals(other.CreateClient)
            && CreateDispatcher.Equals(other.CreateDispatcher)
            && Equals(ReceiveArguments, other.ReceiveArguments)
            && (Topics ?? []).SequenceEqual(other.Topics ?? [], StringComparer.Ordinal)
            && (DurableTopics ?? []).SequenceEqual(other.DurableTopics ?? [], DurableTopicComparer.Instance)
            && string.Equals(Version, other.Version, StringComparison.Ordinal);

    private sealed class DurableTopicComparer : IEqualityComparer<DurableTopic>
    {
        public static readonly DurableTopicComparer Instance = new();

        public bool Equals(DurableTopic? x, DurableTopic? y) => x is null ? y is null : y is not null && x.SameAs(y);

        public int GetHashCode(DurableTopic obj) => obj.Topic.GetHashCode(StringComparison.Ordinal);
    }
}
