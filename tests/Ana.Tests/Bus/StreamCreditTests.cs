namespace Ana.Tests.Bus;

/// <summary>
/// The credit a served stream holds: a window of items without waiting, a wait ended by the caller's grant or by the
/// stop token, credit capped at the window, and the waiting loop never resumed on the thread that grants.
/// </summary>
public sealed class StreamCreditTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_window_of_items_goes_without_waiting_and_the_next_waits_for_a_grant()
    {
        using StreamCredit credit = new(window: 3, CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        }

        ValueTask waiting = credit.TakeAsync();
        Assert.False(waiting.IsCompleted);

        credit.Grant(2);
        await waiting.AsTask().WaitAsync(HangGuard);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        Assert.False(credit.TakeAsync().IsCompleted);
    }

    [Fact]
    public async Task Credit_beyond_the_window_is_capped()
    {
        using StreamCredit credit = new(window: 2, CancellationToken.None);
        credit.Grant(1_000);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        ValueTask third = credit.TakeAsync();
        Assert.False(third.IsCompleted);

        // A grant while the loop waits also counts the item the loop takes at once: at most a window in hand after it.
        credit.Grant(1_000);
        await third.AsTask().WaitAsync(HangGuard);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        Assert.False(credit.TakeAsync().IsCompleted);
    }

    [Fact]
    public async Task The_stop_token_ends_a_wait_and_every_later_take()
    {
        using CancellationTokenSource stop = new();
        using StreamCredit credit = new(window: 1, stop.Token);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        ValueTask waiting = credit.TakeAsync();

        await stop.CancelAsync();

        OperationCanceledException cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(HangGuard));
        Assert.Equal(stop.Token, cancelled.CancellationToken);
        credit.Grant(1);
        Assert.True(credit.TakeAsync().IsCanceled);
    }

    [Fact]
    public async Task The_waiting_loop_never_runs_on_the_thread_that_grants()
    {
        using StreamCredit credit = new(window: 1, CancellationToken.None);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        using ManualResetEventSlim granted = new();
        bool returnedFirst = false;
        Task loop = ResumeAsync(credit.TakeAsync());

        credit.Grant(1);
        granted.Set();
        await loop.WaitAsync(HangGuard);

        Assert.True(returnedFirst, "the continuation ran inline, before the thread that completed it went on");

        async Task ResumeAsync(ValueTask waiting)
        {
            await waiting.ConfigureAwait(false);

            // Run inline by Grant, this would hold the granting thread until the guard passed.
            returnedFirst = granted.Wait(HangGuard);
        }
    }

    [Fact]
    public async Task Two_waits_at_once_are_a_bug_in_the_loop()
    {
        using StreamCredit credit = new(window: 1, CancellationToken.None);
        Assert.True(credit.TakeAsync().IsCompletedSuccessfully);
        ValueTask waiting = credit.TakeAsync();
        Assert.Throws<InvalidOperationException>(() => credit.TakeAsync());

        credit.Grant(1);
        await waiting.AsTask().WaitAsync(HangGuard);
    }
}
