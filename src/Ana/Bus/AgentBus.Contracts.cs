using Ana.Contracts;
using Ana.Contracts.Infrastructure;
using Ana.Contracts.Internal;
using Ana.Durable;
using Ana.Micro;
using Ana.Telemetry;

namespace Ana;

/// <summary>Typed contracts on the bus: clients that call them and servers that implement them.</summary>
public sealed partial class AgentBus
{
    /// <summary>A client of <typeparamref name="TContract"/> that calls the agent named by its <see cref="AnaAgentAttribute"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TContract"/> is not a contract.</exception>
    public TContract Client<TContract>()
        where TContract : class
    {
        ContractDescriptor<TContract> contract = ContractRegistry.Get<TContract>();
        return NameClient(contract.CreateClient(this, contract.AgentName), contract);
    }

    /// <summary>A client of <typeparamref name="TContract"/> that calls the agent <paramref name="agent"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TContract"/> is not a contract.</exception>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is not a valid agent name.</exception>
    public TContract Client<TContract>(string agent)
        where TContract : class
    {
        ContractDescriptor<TContract> contract = ContractRegistry.Get<TContract>();
        return NameClient(contract.CreateClient(this, agent), contract);
    }

    /// <summary>
    /// A client of <typeparamref name="TContract"/> that calls the agent <paramref name="agent"/> with
    /// <paramref name="options"/> for every call (a timeout, deadline propagation; see <see cref="AnaCallOptions"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TContract"/> is not a contract.</exception>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is not a valid agent name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' timeout is outside 1 ms to 24 days.</exception>
    public TContract Client<TContract>(string agent, AnaCallOptions options)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout is { } timeout)
        {
            CallTimeouts.Resolve(timeout, Options, $"{nameof(options)}.{nameof(AnaCallOptions.Timeout)}");
        }

        ContractDescriptor<TContract> contract = ContractRegistry.Get<TContract>();
        return NameClient(contract.CreateClient(this, agent), contract, options);
    }

    private static TContract NameClient<TContract>(TContract client, ContractDescriptor<TContract> contract, AnaCallOptions? options = null)
        where TContract : class
    {
        if (client is ContractClient generated)
        {
            generated.Contract = contract.ContractName;
            generated.CallOptions = options;
        }

        return client;
    }

    /// <summary>
    /// Serves <typeparamref name="TContract"/> with <paramref name="implementation"/>: one subscription to the agent's
    /// queries (<c>&lt;prefix&gt;.&lt;agent&gt;.query.&gt;</c>, and the bare <c>&lt;prefix&gt;.&lt;agent&gt;.query</c>, routed
    /// as the topic <see cref="DefaultTopic"/>), in a queue group so that several servers share the calls. While a method
    /// runs, <see cref="AnaCallContext.Current"/> describes its call. Unless <see cref="ServeOptions.Announce"/> is off,
    /// the bus then announces what it serves on its discovery subject (see <see cref="AnnounceDiscoveryAsync"/>).
    /// Dispose the result to stop serving.
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TContract"/> is not a contract.</exception>
    /// <exception cref="AnaPermissionException">
    /// The NATS server does not let this connection subscribe to the agent's queries, or refused a JetStream request of
    /// the contract's durable methods (the exception names its subject; docs/nats-notes.md lists the rights).
    /// </exception>
    public ValueTask<AgentSubscription> ServeAsync<TContract>(TContract implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ContractDescriptor<TContract> contract = ContractRegistry.Get<TContract>();
        return ServeCoreAsync(contract, contract.CreateDispatcher(implementation), options, cancellationToken);
    }

    /// <summary>
    /// Serves <typeparamref name="TContract"/> like <see cref="ServeAsync{TContract}(TContract, ServeOptions?, CancellationToken)"/>,
    /// with an implementation that <paramref name="activate"/> makes for each call: the lease's owner (a dependency-injection
    /// scope, say) is disposed when the call ends, whether it returned, threw or was cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TContract"/> is not a contract.</exception>
    /// <exception cref="AnaPermissionException">
    /// The NATS server does not let this connection subscribe to the agent's queries, or refused a JetStream request of
    /// the contract's durable methods (the exception names its subject; docs/nats-notes.md lists the rights).
    /// </exception>
    public ValueTask<AgentSubscription> ServePerCallAsync<TContract>(Func<ContractLease<TContract>> activate, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(activate);
        ContractDescriptor<TContract> contract = ContractRegistry.Get<TContract>();
        return ServeCoreAsync(contract, new LeasingDispatcher<TContract>(contract, activate), options, cancellationToken);
    }

    private async ValueTask<AgentSubscription> ServeCoreAsync<TContract>(ContractDescriptor<TContract> contract, IContractDispatcher dispatcher, ServeOptions? options, CancellationToken cancellationToken)
        where TContract : class
    {
        options ??= new ServeOptions();
        if (options.Filters is { Count: > 0 } filters)
        {
            IAnaServerFilter[] chain = [.. filters];
            if (Array.IndexOf(chain, null) >= 0)
            {
                throw new ArgumentException("ServeOptions.Filters holds a null filter.", nameof(options));
            }

            dispatcher = new FilteringDispatcher(dispatcher, chain, contract.ReceiveArguments);
        }

        string agent = options.Agent ?? contract.AgentName;
        string subject = Subjects.VerbWildcard(agent, SubjectVerb.Query);
        int topicStart = subject.Length - 1;
        ServedTopics topics = new(contract.Topics, topicStart);
        string? queueGroup = options.NoQueueGroup ? null : options.QueueGroup ?? agent;
        ServedMethods methods = new(contract.ContractName, topicStart);
        List<WorkTopic>? durable = DurableTopicsOf(contract, dispatcher, agent, options, methods);
        MicroService? micro = Options.MicroDiscovery
            ? ServedContractService.Create(contract, agent, queueGroup, Subjects, _transport, _receiver.Logger)
            : null;

        AgentSubscription subscription = await SubscribeCoreAsync(
            subject,
            Subjects.Build(agent, SubjectVerb.Query),
            CallControl.SubjectFor(Subjects, agent),
            (envelope, context) => envelope is Query query
                ? dispatcher.DispatchAsync(topics.TopicOf(context.Subject), query, context)
                : default,
            queueGroup,
            Admission.Of(Options, options.MaxConcurrency, options.MaxQueue),
            methods,
            micro,
            cancellationToken).ConfigureAwait(false);
        subscription.Serves = new ServedAgent { Agent = agent, Topics = contract.Topics };
        try
        {
            if (durable is not null)
            {
                // A contract has durable topics exactly when its descriptor holds the durable serving.
                subscription.Work = await contract.Durable!.StartAsync(
                    Durable(), Subjects.Prefix, durable, subscription.Dispatcher, Options.Durable, _receiver.Logger, cancellationToken).ConfigureAwait(false);
            }

            if (micro is not null)
            {
                await micro.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            if (options.Announce)
            {
                await AnnounceDiscoveryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    /// <summary>
    /// The durable topics of a served contract, each running the contract's <paramref name="dispatcher"/> for its stored
    /// queries; <see langword="null"/> when it has none, or when the bus is on <c>memory://</c> (served over core subjects
    /// only, with a warning).
    /// </summary>
    /// <exception cref="ArgumentException">The contract has durable methods and is served without a queue group.</exception>
    /// <exception cref="AnaException"><c>jetstream_unavailable</c>: the NATS server runs without JetStream.</exception>
    private List<WorkTopic>? DurableTopicsOf<TContract>(ContractDescriptor<TContract> contract, IContractDispatcher dispatcher, string agent, ServeOptions options, ServedMethods methods)
        where TContract : class
    {
        if (contract.DurableTopics is not { Count: > 0 } durableTopics)
        {
            return null;
        }

        if (options.NoQueueGroup)
        {
            throw new ArgumentException(
                $"The contract {contract.ContractName} has durable methods, and ServeOptions.NoQueueGroup asks every server to take every call: a work queue gives each stored message to one server. Serve it with a queue group.",
                nameof(options));
        }

        if (_transport is not Transport.Nats.NatsTransport)
        {
            DurableLog.NoJetStreamInMemory(_receiver.Logger, contract.ContractName);
            return null;
        }

        // Fails at once, before anything is subscribed, when the server has no JetStream.
        _ = Durable();
        List<WorkTopic> topics = new(durableTopics.Count);
        foreach (DurableTopic settings in durableTopics)
        {
            string topic = settings.Topic;
            WorkTopic work = new(
                settings,
                agent,
                Subjects,
                (envelope, context) => envelope is Query query ? dispatcher.DispatchAsync(topic, query, context) : default,
                Durable().JetStream,
                _responder,
                _counters.Durable,
                Options,
                Identity,
                _receiver.Logger);
            methods.Remember(work.Subject, topic);
            topics.Add(work);
        }

        return topics;
    }
}
