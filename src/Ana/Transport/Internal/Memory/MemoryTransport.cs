using System.Security.Cryptography;
using NATS.Client.Core;

namespace Ana.Transport.Memory;

/// <summary>
/// An <see cref="ITransport"/> connected to the in-process <see cref="MemoryBroker"/> of a name (<c>memory://NAME</c>).
/// Handlers are always invoked asynchronously, never inside <see cref="PublishAsync"/>.
/// </summary>
internal sealed class MemoryTransport : ITransport
{
    private const string InboxPrefix = "_INBOX.";
    private const int InboxTokenLength = 22;
    private const string InboxTokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private readonly MemoryBroker _broker;
    private readonly object _gate = new();
    private readonly HashSet<MemorySubscription> _subscriptions = [];
    private bool _disposed;

    /// <summary>Connects to the broker named <paramref name="name"/>, creating it on first use.</summary>
    public MemoryTransport(string name)
        : this(MemoryBroker.Get(name))
    {
    }

    /// <summary>Connects to <paramref name="broker"/>.</summary>
    public MemoryTransport(MemoryBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _broker = broker;
    }

    /// <summary>The broker this transport is connected to.</summary>
    public MemoryBroker Broker => _broker;

    /// <inheritdoc />
    public string NewInboxPrefix() =>
        string.Create(InboxPrefix.Length + InboxTokenLength, 0, static (chars, _) =>
        {
            InboxPrefix.AsSpan().CopyTo(chars);
            Span<byte> random = stackalloc byte[InboxTokenLength];
            RandomNumberGenerator.Fill(random);
            Span<char> token = chars[InboxPrefix.Length..];
            for (int i = 0; i < token.Length; i++)
            {
                token[i] = InboxTokenAlphabet[random[i] & 63];
            }
        });

    /// <inheritdoc />
    /// <remarks>The broker has no limit of its own; this is nats-server's default, so that what fits here fits there.</remarks>
    public long MaxPayload => EnvelopeSerializer.DefaultMaxBytes;

    /// <inheritdoc />
    public ValueTask PublishAsync(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        cancellationToken.ThrowIfCancellationRequested();
        SubjectMatcher.ValidatePublishSubject(subject, nameof(subject));
        if (replyTo is not null)
        {
            SubjectMatcher.ValidatePublishSubject(replyTo, nameof(replyTo));
        }

        _broker.Publish(subject, replyTo, headers, payload);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<ITransportSubscription> SubscribeAsync(
        string subject,
        string? queueGroup,
        TransportHandler handler,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        cancellationToken.ThrowIfCancellationRequested();
        SubjectMatcher.ValidateSubscribeSubject(subject, nameof(subject));
        SubjectMatcher.ValidateQueueGroup(queueGroup, nameof(queueGroup));
        ArgumentNullException.ThrowIfNull(handler);

        MemorySubscription subscription;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            subscription = new MemorySubscription(_broker, this, subject, queueGroup, handler);
            _subscriptions.Add(subscription);
            _broker.Add(subscription);
        }

        return new ValueTask<ITransportSubscription>(subscription);
    }

    /// <inheritdoc />
    /// <remarks>The broker has no receive path of its own to run it on: an ordinary subscription.</remarks>
    public ValueTask<ITransportSubscription> SubscribeInlineAsync(string subject, TransportHandler handler, CancellationToken cancellationToken)
        => SubscribeAsync(subject, queueGroup: null, handler, cancellationToken);

    /// <summary>The in-process broker refuses nothing and ends no subscription by itself.</summary>
    public IReadOnlyList<AgentSubscriptionFault> SubscriptionFaults => [];

    /// <summary>The in-process broker never loses its connection: connected until disposed.</summary>
    public AgentBusConnectionState State => Volatile.Read(ref _disposed) ? AgentBusConnectionState.Closed : AgentBusConnectionState.Connected;

    /// <summary>Disposes every subscription of this transport; later publishes and subscribes throw.</summary>
    public async ValueTask DisposeAsync()
    {
        MemorySubscription[] subscriptions;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (MemorySubscription subscription in subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal void Forget(MemorySubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }
}
