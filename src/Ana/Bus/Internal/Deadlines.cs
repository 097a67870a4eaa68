namespace Ana;

/// <summary>
/// Deadline tokens shared by every call (or handler) whose deadline falls in the same slot of <see cref="Resolution"/>:
/// one <see cref="CancellationTokenSource"/> and one timer per slot, where a source with its own timer per call cost
/// each call two objects, a timer queue entry and the queue's lock twice. A deadline fires at the end of its slot:
/// never early, at most one resolution and the coarse clock's margin late, which is below what a timer promises anyway
/// on a loaded machine. A slot forgets its source when it fires.
/// </summary>
internal sealed class Deadlines
{
    /// <summary>The width of a slot.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(ResolutionMilliseconds);

    private const long ResolutionMilliseconds = 10;

    /// <summary>
    /// <see cref="Environment.TickCount64"/>, and the timers behind <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>,
    /// read a coarse clock (a few milliseconds per tick on Linux): a slot due at tick t may fire up to one tick before t by
    /// a precise clock. Deadlines are placed that much later, so that they are never early by any clock.
    /// </summary>
    private const long CoarseClockMargin = 5;

    private static readonly CancellationToken Fired = new(canceled: true);

    private readonly Dictionary<long, CancellationTokenSource> _slots = [];
    private bool _stopped;

    /// <summary>Deadlines that also fire when <paramref name="parent"/> does (a subscription stopping, say).</summary>
    /// <remarks>
    /// One registration on the parent cancels the slots alive then; a slot's source is not linked to the parent. A linked
    /// source stays registered on its parent until it is disposed, also after it fired: 144 bytes a slot, a hundred slots a
    /// second per distinct timeout on a busy server, kept for as long as the subscription lived.
    /// </remarks>
    public Deadlines(CancellationToken parent = default)
    {
        if (parent.CanBeCanceled)
        {
            // Runs at once, here, when the parent has already fired.
            parent.UnsafeRegister(static state => ((Deadlines)state!).FireAll(), this);
        }
    }

    /// <summary>How many slots wait to fire.</summary>
    public int PendingSlots
    {
        get
        {
            lock (_slots)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>A token cancelled once <paramref name="timeout"/> has passed (or <see cref="Deadlines(CancellationToken)"/>'s parent is).</summary>
    public CancellationToken After(TimeSpan timeout)
    {
        long now = Environment.TickCount64;
        long due = now + (long)Math.Ceiling(timeout.TotalMilliseconds) + CoarseClockMargin;
        long slot = (due + ResolutionMilliseconds - 1) / ResolutionMilliseconds;
        lock (_slots)
        {
            if (_stopped)
            {
                return Fired;
            }

            if (_slots.TryGetValue(slot, out CancellationTokenSource? source))
            {
                return source.Token;
            }

            source = new CancellationTokenSource();
            _slots.Add(slot, source);
            source.Token.UnsafeRegister(static state => ((Slot)state!).Forget(), new Slot(this, slot, source));
            source.CancelAfter(TimeSpan.FromMilliseconds((slot * ResolutionMilliseconds) - now));
            return source.Token;
        }
    }

    /// <summary>The parent fired: every slot fires now, and every deadline asked for from now on is born fired.</summary>
    /// <exception cref="AggregateException">Callbacks registered on the slots threw (each slot still fired).</exception>
    private void FireAll()
    {
        CancellationTokenSource[] alive;
        lock (_slots)
        {
            _stopped = true;
            alive = [.. _slots.Values];
        }

        // Outside the lock: each slot's own callback takes it to forget the slot.
        List<Exception>? failures = null;
        foreach (CancellationTokenSource source in alive)
        {
            try
            {
                source.Cancel();
            }
            catch (AggregateException ex)
            {
                (failures ??= []).AddRange(ex.InnerExceptions);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    private sealed class Slot(Deadlines owner, long slot, CancellationTokenSource source)
    {
        public void Forget()
        {
            lock (owner._slots)
            {
                if (owner._slots.TryGetValue(slot, out CancellationTokenSource? current) && current == source)
                {
                    owner._slots.Remove(slot);
                }
            }
        }
    }
}
