using System.Buffers;
using System.Collections.Concurrent;
using NATS.Client.Core;

namespace Ana.Transport.Memory;

/// <summary>
/// The in-process server behind <c>memory://NAME</c>: every transport of the process that uses the same name shares one broker,
/// which routes publishes to matching subscriptions with core NATS semantics.
/// </summary>
internal sealed class MemoryBroker
{
    private static readonly ConcurrentDictionary<string, MemoryBroker> Brokers = new(StringComparer.Ordinal);

    private readonly object _gate = new();
    private MemorySubscription[] _subscriptions = [];

    private MemoryBroker(string name) => Name = name;

    /// <summary>The name after <c>memory://</c>.</summary>
    public string Name { get; }

    /// <summary>How many subscriptions are registered; for diagnostics and tests.</summary>
    public int SubscriptionCount => Volatile.Read(ref _subscriptions).Length;

    /// <summary>The broker of <paramref name="name"/>, created on first use; it lives as long as the process.</summary>
    public static MemoryBroker Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Brokers.GetOrAdd(name, static n => new MemoryBroker(n));
    }

    internal void Add(MemorySubscription subscription)
    {
        lock (_gate)
        {
            MemorySubscription[] current = _subscriptions;
            MemorySubscription[] next = new MemorySubscription[current.Length + 1];
            Array.Copy(current, next, current.Length);
            next[current.Length] = subscription;
            Volatile.Write(ref _subscriptions, next);
        }
    }

    internal void Remove(MemorySubscription subscription)
    {
        lock (_gate)
        {
            MemorySubscription[] current = _subscriptions;
            int index = Array.IndexOf(current, subscription);
            if (index < 0)
            {
                return;
            }

            MemorySubscription[] next = new MemorySubscription[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _subscriptions, next);
        }
    }

    /// <summary>
    /// Routes one message. <paramref name="subject"/> and <paramref name="replyTo"/> must be valid literal subjects.
    /// The payload is copied once, only if some subscription matches; when none does and there is a reply subject,
    /// a no-responders notice goes to <paramref name="replyTo"/> instead. The headers travel as given, like the payload's
    /// copy shared by every subscription that receives it: the publisher made them for this publish alone.
    /// </summary>
    internal void Publish(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> payload)
    {
        MemorySubscription[] subscriptions = Volatile.Read(ref _subscriptions);
        int matched = Deliver(subscriptions, subject, replyTo, headers, payload, isNoResponders: false);
        if (matched == 0 && replyTo is not null)
        {
            Deliver(subscriptions, replyTo, null, null, ReadOnlyMemory<byte>.Empty, isNoResponders: true);
        }
    }

    private static int Deliver(
        MemorySubscription[] subscriptions,
        string subject,
        string? replyTo,
        NatsHeaders? headers,
        ReadOnlyMemory<byte> payload,
        bool isNoResponders)
    {
        int matched = 0;
        int queued = 0;
        MemorySubscription?[]? queueCandidates = null;
        TransportMessage message = default;

        foreach (MemorySubscription subscription in subscriptions)
        {
            if (!SubjectMatcher.Matches(subject, subscription.Subject))
            {
                continue;
            }

            if (matched++ == 0)
            {
                message = new TransportMessage(subject, replyTo, payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray(), isNoResponders, headers);
            }

            if (subscription.QueueGroup is null)
            {
                subscription.Enqueue(in message);
            }
            else
            {
                queueCandidates ??= ArrayPool<MemorySubscription?>.Shared.Rent(subscriptions.Length);
                queueCandidates[queued++] = subscription;
            }
        }

        if (queueCandidates is not null)
        {
            DeliverToQueueGroups(queueCandidates, queued, in message);
            ArrayPool<MemorySubscription?>.Shared.Return(queueCandidates, clearArray: true);
        }

        return matched;
    }

    /// <summary>Picks one member at random of each distinct queue group among the candidates.</summary>
    private static void DeliverToQueueGroups(MemorySubscription?[] candidates, int count, in TransportMessage message)
    {
        for (int i = 0; i < count; i++)
        {
            MemorySubscription? first = candidates[i];
            if (first is null)
            {
                continue;
            }

            string group = first.QueueGroup!;
            int members = 0;
            for (int j = i; j < count; j++)
            {
                if (candidates[j] is { } c && string.Equals(c.QueueGroup, group, StringComparison.Ordinal))
                {
                    members++;
                }
            }

            int pick = members == 1 ? 0 : Random.Shared.Next(members);
            for (int j = i; j < count; j++)
            {
                if (candidates[j] is { } c && string.Equals(c.QueueGroup, group, StringComparison.Ordinal))
                {
                    if (pick-- == 0)
                    {
                        c.Enqueue(in message);
                    }

                    candidates[j] = null;
                }
            }
        }
    }
}
