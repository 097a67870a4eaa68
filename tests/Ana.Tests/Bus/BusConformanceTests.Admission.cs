using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>
/// Admission control (issue 13, section 3): a query that finds every slot busy and the queue full is refused at once
/// as <see cref="AnaErrorCodes.Overloaded"/>; a query whose caller stopped waiting while it was queued never runs.
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task A_query_beyond_the_busy_slots_and_the_full_queue_is_refused_at_once_as_overloaded()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1, MaxQueuedHandlers = 1 });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            Interlocked.Increment(ref started);
            await gate.Task.WaitAsync(context.CancellationToken);
            await context.ReplyAsync(null);
        });
        AgentBus alice = await ConnectAsync("alice");

        Task<Reply?> running = alice.QueryAndWaitAsync("bob", "first", timeout: Patience).AsTask();
        await WaitUntilAsync(() => Volatile.Read(ref started) == 1);
        Task<Reply?> queued = alice.QueryAndWaitAsync("bob", "second", timeout: Patience).AsTask();
        await WaitUntilAsync(() => bob.Statistics.Received >= 2);
        Reply? refused = await alice.QueryAndWaitAsync("bob", "third", timeout: Patience).AsTask().WaitAsync(Patience);

        Assert.Equal(AnaErrorCodes.Overloaded, refused?.Error?.Code);
        Assert.False(running.IsCompleted);
        Assert.Equal(1, bob.Statistics.OverloadedQueries);

        gate.TrySetResult();
        Assert.Null((await running.WaitAsync(Patience))?.Error);
        Assert.Null((await queued.WaitAsync(Patience))?.Error);
        Assert.Equal(2, Volatile.Read(ref started));
    }

    [SuiteFact]
    public async Task A_query_whose_caller_stopped_waiting_while_it_was_queued_never_runs()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1 });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<string> handled = [];
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            Query query = (Query)envelope;
            lock (handled)
            {
                handled.Add(query.Text);
            }

            if (query.Text == "blocker")
            {
                await gate.Task.WaitAsync(context.CancellationToken);
            }

            await context.ReplyAsync(null);
        });
        AgentBus alice = await ConnectAsync("alice");

        Task<Reply?> blocker = alice.QueryAndWaitAsync("bob", "blocker", timeout: Patience).AsTask();
        await WaitUntilAsync(() => { lock (handled) { return handled.Count == 1; } });
        Reply? expired = await alice.QueryAndWaitAsync("bob", "too late", timeout: TimeSpan.FromMilliseconds(200));
        Assert.Null(expired);

        // The caller's clock started before its query reached bob: give bob's view of the deadline time to pass too
        // (waiting longer only makes the query later).
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        gate.TrySetResult();
        await blocker.WaitAsync(Patience);
        await WaitUntilAsync(() => bob.Statistics.ExpiredQueries == 1);

        // A query sent after it still runs: the expired one was dropped, not the queue.
        Assert.Null((await alice.QueryAndWaitAsync("bob", "in time", timeout: Patience))?.Error);
        lock (handled)
        {
            Assert.Equal(["blocker", "in time"], handled);
        }
    }

    [SuiteFact]
    public async Task A_typed_caller_sees_an_overloaded_agent_as_AnaOverloadedException()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1, MaxQueuedHandlers = 0 });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            Interlocked.Increment(ref started);
            await gate.Task.WaitAsync(context.CancellationToken);
            await context.ReplyAsync(null);
        });
        AgentBus alice = await ConnectAsync("alice");
        Task<Reply?> running = alice.QueryAndWaitAsync("bob", "first", timeout: Patience).AsTask();
        await WaitUntilAsync(() => Volatile.Read(ref started) == 1);

        AnaOverloadedException refused = await Assert.ThrowsAsync<AnaOverloadedException>(
            () => alice.Client<Contracts.ICalculator>("bob").AddAsync(1, 2));

        Assert.Equal(AnaErrorCodes.Overloaded, refused.Code);
        gate.TrySetResult();
        await running.WaitAsync(Patience);
    }
}
