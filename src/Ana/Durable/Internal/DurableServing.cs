using Microsoft.Extensions.Logging;

namespace Ana.Durable;

/// <summary>
/// Starts the durable side of a served contract (<see cref="WorkServer"/>). A contract's descriptor holds one only when
/// the contract has durable methods (setting <see cref="Contracts.Infrastructure.ContractDescriptor{TContract}.DurableTopics"/>
/// creates it), and ServeAsync reaches JetStream through nothing else.
/// </summary>
/// <remarks>
/// Abstract because NativeAOT compiles every method a program calls directly, whatever its data says: called through
/// this class, <see cref="WorkServer"/> and NATS.Client.JetStream behind it are compiled only into a binary that creates
/// the implementation, one that serves a durable contract. A bot without durable methods stays without them
/// (docs/aot.md, "The size since durable work").
/// </remarks>
internal abstract class DurableServing
{
    /// <summary>The implementation; called only where a contract's durable methods are registered.</summary>
    public static DurableServing Create() => new OnJetStream();

    /// <summary>Finds or creates the streams, bucket and consumers of <paramref name="topics"/>, then pulls their stored work into <paramref name="dispatcher"/>'s handler slots until disposed.</summary>
    /// <exception cref="AnaException">A stream or consumer is missing and may not be created, or is not what the SDK needs.</exception>
    /// <exception cref="AnaPermissionException">The NATS server refused one of the JetStream API requests.</exception>
    public abstract ValueTask<IAsyncDisposable> StartAsync(
        DurablePublisher publisher, string prefix, IReadOnlyList<WorkTopic> topics, InboundDispatcher dispatcher, DurableOptions options, ILogger logger, CancellationToken cancellationToken);

    private sealed class OnJetStream : DurableServing
    {
        public override async ValueTask<IAsyncDisposable> StartAsync(
            DurablePublisher publisher, string prefix, IReadOnlyList<WorkTopic> topics, InboundDispatcher dispatcher, DurableOptions options, ILogger logger, CancellationToken cancellationToken)
            => await WorkServer.StartAsync(publisher.JetStream, publisher.Transport, prefix, topics, dispatcher, options, logger, cancellationToken).ConfigureAwait(false);
    }
}
