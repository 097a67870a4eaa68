using System.Collections.Frozen;
using Ana.Transport;
using Microsoft.Extensions.Logging;

namespace Ana.Micro;

/// <summary>
/// One served contract as a NATS micro service instance (ADR-32): answers <c>$SRV.PING</c>, <c>$SRV.INFO</c> and
/// <c>$SRV.STATS</c>, each also with the service's name and with its name and id, with no queue group, so that every
/// instance answers. Its endpoints are the contract's topics; the dispatcher records their statistics
/// (<see cref="Find"/>). Lives as long as the served subscription.
/// </summary>
internal sealed class MicroService : IAsyncDisposable
{
    private static readonly string[] Verbs = ["PING", "INFO", "STATS"];

    private readonly ITransport _transport;
    private readonly ILogger _logger;
    private readonly FrozenDictionary<string, MicroEndpoint> _bySubject;
    private readonly List<ITransportSubscription> _subscriptions = [];
    private int _disposed;

    /// <param name="transport">The bus's transport.</param>
    /// <param name="description">The service as INFO describes it.</param>
    /// <param name="identity">Name, id, version and metadata of the service.</param>
    /// <param name="endpoints">One per topic.</param>
    /// <param name="bySubject">The endpoint of each query subject the dispatcher receives (the bare one included).</param>
    /// <param name="logger">Where failures to answer go.</param>
    public MicroService(
        ITransport transport,
        string description,
        MicroIdentity identity,
        IReadOnlyList<MicroEndpoint> endpoints,
        IReadOnlyDictionary<string, MicroEndpoint> bySubject,
        ILogger logger)
    {
        _transport = transport;
        _logger = logger;
        Identity = identity;
        Description = description;
        Endpoints = endpoints;
        _bySubject = bySubject.ToFrozenDictionary(StringComparer.Ordinal);
        Started = DateTime.UtcNow;
    }

    public MicroIdentity Identity { get; }

    public string Description { get; }

    public IReadOnlyList<MicroEndpoint> Endpoints { get; }

    /// <summary>When the service started, UTC.</summary>
    public DateTime Started { get; }

    /// <summary>The endpoint that a query on <paramref name="subject"/> belongs to, or <see langword="null"/> for a topic the contract does not have.</summary>
    public MicroEndpoint? Find(string subject) => _bySubject.GetValueOrDefault(subject);

    /// <summary>
    /// Subscribes to the nine <c>$SRV</c> subjects. A server that refuses them (permissions without <c>$SRV</c>) leaves
    /// the contract served but not discoverable, with a warning; any other failure is thrown.
    /// </summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        // All nine at once: the transport confirms each subscription with a round trip to the server, and nine made one
        // after the other kept a contract from being served for nine round trips; made together, the trips overlap.
        List<Task<ITransportSubscription>> subscribing = [];
        foreach (string verb in Verbs)
        {
            TransportHandler handler = verb switch
            {
                "PING" => message => AnswerAsync(message, MicroResponses.WritePing),
                "INFO" => message => AnswerAsync(message, MicroResponses.WriteInfo),
                _ => message => AnswerAsync(message, MicroResponses.WriteStats),
            };
            foreach (string subject in SubjectsOf(verb))
            {
                subscribing.Add(_transport.SubscribeAsync(subject, queueGroup: null, handler, cancellationToken).AsTask());
            }
        }

        try
        {
            await Task.WhenAll(subscribing).ConfigureAwait(false);
        }
        catch
        {
            // Looked at below, every subscription's outcome at once.
        }

        Exception? failure = null;
        AnaPermissionException? refusal = null;
        foreach (Task<ITransportSubscription> task in subscribing)
        {
            if (task.IsCompletedSuccessfully)
            {
                _subscriptions.Add(task.Result);
            }
            else if (task.Exception?.InnerException is AnaPermissionException refused)
            {
                refusal ??= refused;
            }
            else
            {
                failure ??= task.Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
            }
        }

        if (failure is not null || refusal is not null)
        {
            await DisposeAsync().ConfigureAwait(false);
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        if (refusal is not null)
        {
            MicroLog.DiscoveryRefused(_logger, Identity.Name, refusal.Subject, refusal.ServerError);
        }
    }

    /// <summary>The subjects of <paramref name="verb"/>: for every service, for this service's name, for this instance.</summary>
    public IEnumerable<string> SubjectsOf(string verb)
    {
        yield return $"$SRV.{verb}";
        yield return $"$SRV.{verb}.{Identity.Name}";
        yield return $"$SRV.{verb}.{Identity.Name}.{Identity.Id}";
    }

    /// <summary>Stops answering; the endpoints keep their statistics.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (ITransportSubscription subscription in _subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask AnswerAsync(TransportMessage message, Func<MicroService, long, PooledBufferWriter?> write)
    {
        if (message.ReplyTo is not { Length: > 0 } replyTo || message.IsNoResponders)
        {
            return;
        }

        try
        {
            using PooledBufferWriter? response = write(this, _transport.MaxPayload);
            if (response is null)
            {
                MicroLog.InfoTooLarge(_logger, Identity.Name, _transport.MaxPayload);
                return;
            }

            await _transport.PublishAsync(replyTo, null, null, response.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MicroLog.AnswerFailed(_logger, message.Subject, ex);
        }
    }
}
