using System.Collections;
using System.Diagnostics;

namespace Ana.Contracts.Tests.Telemetry;

/// <summary>
/// What the OpenTelemetry in-memory exporter wrote, safe to read while it writes (spans end on several threads), and a
/// bounded wait for the spans a test expects.
/// </summary>
internal sealed class ExportedSpans : ICollection<Activity>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public Activity[] Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    /// <summary>Waits until <paramref name="count"/> spans match <paramref name="filter"/>, then returns those that do.</summary>
    public async Task<Activity[]> WaitForAsync(Func<Activity, bool> filter, int count)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            Activity[] matching = Array.FindAll(Snapshot(), a => filter(a));
            if (matching.Length >= count || waited.Elapsed > Patience)
            {
                return matching;
            }

            await Task.Delay(20);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
