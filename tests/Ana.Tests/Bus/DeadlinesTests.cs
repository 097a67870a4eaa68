using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Ana.Tests.Bus;

/// <summary>Shared deadline tokens: one per slot, never early, forgotten once fired, and fired with their parent.</summary>
public sealed class DeadlinesTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_deadline_never_fires_before_its_timeout()
    {
        Deadlines deadlines = new();
        TimeSpan timeout = TimeSpan.FromMilliseconds(120);
        Stopwatch elapsed = Stopwatch.StartNew();
        CancellationToken token = deadlines.After(timeout);

        await WhenCancelledAsync(token);

        Assert.True(elapsed.Elapsed >= timeout - TimeSpan.FromMilliseconds(1), $"fired after {elapsed.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void Deadlines_in_the_same_slot_share_one_token()
    {
        Deadlines deadlines = new();

        // A slot is 10 ms wide: of three deadlines asked for at once, at least two land in the same slot, and a
        // deadline a second later lands in another.
        CancellationToken a = deadlines.After(TimeSpan.FromSeconds(10));
        CancellationToken b = deadlines.After(TimeSpan.FromSeconds(10));
        CancellationToken c = deadlines.After(TimeSpan.FromSeconds(10));
        CancellationToken later = deadlines.After(TimeSpan.FromSeconds(11));

        Assert.True(a == b || b == c, "three deadlines asked for at once used three slots");
        Assert.NotEqual(a, later);
        Assert.InRange(deadlines.PendingSlots, 2, 3);
    }

    [Fact]
    public async Task A_slot_is_forgotten_once_it_fired()
    {
        Deadlines deadlines = new();
        CancellationToken token = deadlines.After(TimeSpan.FromMilliseconds(5));
        await WhenCancelledAsync(token);

        // The slot forgets itself in a callback of its own, which may run just after the one that woke this test.
        Assert.True(SpinWait.SpinUntil(() => deadlines.PendingSlots == 0, HangGuard));
        Assert.False(deadlines.After(TimeSpan.FromSeconds(10)).IsCancellationRequested);
    }

    [Fact]
    public async Task Deadlines_fire_with_their_parent_and_are_born_cancelled_after_it()
    {
        using CancellationTokenSource parent = new();
        Deadlines deadlines = new(parent.Token);
        CancellationToken token = deadlines.After(TimeSpan.FromHours(1));

        await parent.CancelAsync();

        Assert.True(token.IsCancellationRequested);
        Assert.True(deadlines.After(TimeSpan.FromHours(1)).IsCancellationRequested);
        Assert.Equal(0, deadlines.PendingSlots);
    }

    [Fact]
    public async Task A_fired_slot_is_not_kept_alive_by_the_parent()
    {
        // A slot's source linked to the parent stayed registered on it after it fired: 144 bytes a slot, a hundred slots
        // a second per distinct timeout on a busy server, for as long as the subscription lived.
        using CancellationTokenSource parent = new();
        Deadlines deadlines = new(parent.Token);
        WeakReference slot = await FireOneSlotAsync(deadlines);

        Assert.True(SpinWait.SpinUntil(() => { GC.Collect(); GC.WaitForPendingFinalizers(); return !slot.IsAlive; }, HangGuard), "the parent keeps the fired slot's source");
        Assert.False(parent.IsCancellationRequested);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> FireOneSlotAsync(Deadlines deadlines)
    {
        CancellationToken token = deadlines.After(TimeSpan.FromMilliseconds(5));
        await WhenCancelledAsync(token);
        Assert.True(SpinWait.SpinUntil(() => deadlines.PendingSlots == 0, HangGuard));

        // The token's source, which nothing public exposes.
        object source = typeof(CancellationToken).GetField("_source", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(token)!;
        return new WeakReference(source);
    }

    private static async Task WhenCancelledAsync(CancellationToken token)
    {
        TaskCompletionSource fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using CancellationTokenRegistration registration = token.Register(() => fired.TrySetResult());
        await fired.Task.WaitAsync(HangGuard);
    }
}
