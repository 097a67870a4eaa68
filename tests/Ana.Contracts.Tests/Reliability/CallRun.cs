using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>What became of a batch of calls.</summary>
public sealed class CallRun
{
    private int _succeeded;
    private int _timedOut;
    private int _noResponders;
    private int _overloaded;
    private int _completed;
    private long _maxLatencyTicks;

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int TimedOut => Volatile.Read(ref _timedOut);

    public int NoResponders => Volatile.Read(ref _noResponders);

    /// <summary>Calls the server refused at once because it was busy (<see cref="AnaOverloadedException"/>).</summary>
    public int Overloaded => Volatile.Read(ref _overloaded);

    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Answers that did not match their own call's arguments.</summary>
    public ConcurrentQueue<string> Misdelivered { get; } = new();

    /// <summary>Calls that failed with anything but a timeout, an overload or no responders, or that took too long.</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>
    /// How far past its deadline a call may end before it counts as hung: generous, so that a loaded machine (late
    /// timers, a starved thread pool) never fails a run; a call that ignores its deadline still does.
    /// </summary>
    public static TimeSpan Grace { get; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLatency => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks));

    /// <summary>Runs <paramref name="count"/> calls, at most <paramref name="concurrency"/> at once.</summary>
    /// <param name="call">Makes call number i and returns whether its answer is the right one for i.</param>
    /// <param name="deadline">The calls' own deadline: a call that takes longer than it plus <see cref="Grace"/> is reported as unexpected.</param>
    public static async Task<CallRun> RunAsync(int count, int concurrency, TimeSpan deadline, Func<int, Task<bool>> call, Action<CallRun>? onCompleted = null)
    {
        TimeSpan limit = deadline + Grace;
        CallRun run = new();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) =>
            {
                Stopwatch watch = Stopwatch.StartNew();
                try
                {
                    if (await call(i))
                    {
                        Interlocked.Increment(ref run._succeeded);
                    }
                    else
                    {
                        run.Misdelivered.Enqueue($"call {i}");
                    }
                }
                catch (AnaTimeoutException)
                {
                    Interlocked.Increment(ref run._timedOut);
                }
                catch (AnaNoRespondersException)
                {
                    Interlocked.Increment(ref run._noResponders);
                }
                catch (AnaOverloadedException)
                {
                    Interlocked.Increment(ref run._overloaded);
                }
                catch (Exception ex)
                {
                    run.Unexpected.Enqueue($"call {i}: {ex.GetType().Name}: {ex.Message}");
                }

                TimeSpan elapsed = watch.Elapsed;
                long ticks = elapsed.Ticks;
                long max;
                while (ticks > (max = Interlocked.Read(ref run._maxLatencyTicks)) && Interlocked.CompareExchange(ref run._maxLatencyTicks, ticks, max) != max)
                {
                }

                if (elapsed > limit)
                {
                    run.Unexpected.Enqueue($"call {i} took {elapsed.TotalMilliseconds:0} ms (limit {limit.TotalMilliseconds:0} ms)");
                }

                Interlocked.Increment(ref run._completed);
                onCompleted?.Invoke(run);
            });
        return run;
    }

    public override string ToString()
        => $"{Completed} calls: {Succeeded} succeeded, {TimedOut} timed out, {Overloaded} overloaded, {NoResponders} no responders, {Misdelivered.Count} misdelivered, {Unexpected.Count} unexpected; max latency {MaxLatency.TotalMilliseconds:0} ms";
}
