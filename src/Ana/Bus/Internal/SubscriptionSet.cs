namespace Ana;

/// <summary>
/// The subscriptions a bus has open, so that disposing the bus stops them. A subscription leaves the set when it is
/// disposed, so that serving and stopping over and over keeps nothing; once the bus closes the set, nothing joins it.
/// </summary>
internal sealed class SubscriptionSet
{
    private readonly HashSet<AgentSubscription> _open = new(ReferenceEqualityComparer.Instance);
    private bool _closed;

    /// <summary>How many subscriptions are open.</summary>
    public int Count
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// What the open subscriptions serve, by agent name (ordinal order); the topics of several subscriptions serving one
    /// agent are merged (unknown when one of them does not know its topics).
    /// </summary>
    public List<ServedAgent> Served()
    {
        SortedDictionary<string, ServedAgent> served = new(StringComparer.Ordinal);
        lock (_open)
        {
            foreach (AgentSubscription subscription in _open)
            {
                if (subscription.Serves is not { } serves)
                {
                    continue;
                }

                if (served.TryGetValue(serves.Agent, out ServedAgent? known))
                {
                    serves = known with
                    {
                        Topics = known.Topics is null || serves.Topics is null ? null : [.. known.Topics.Union(serves.Topics, StringComparer.Ordinal)],
                    };
                }

                served[serves.Agent] = serves;
            }
        }

        return [.. served.Values];
    }

    /// <summary>Adds <paramref name="subscription"/>, unless the set is closed.</summary>
    public bool TryAdd(AgentSubscription subscription)
    {
        lock (_open)
        {
            return !_closed && _open.Add(subscription);
        }
    }

    public void Remove(AgentSubscription subscription)
    {
        lock (_open)
        {
            _open.Remove(subscription);
        }
    }

    /// <summary>Closes the set and returns the subscriptions still open, for the bus to dispose.</summary>
    public AgentSubscription[] Close()
    {
        lock (_open)
        {
            _closed = true;
            AgentSubscription[] open = [.. _open];
            _open.Clear();
            return open;
        }
    }
}
