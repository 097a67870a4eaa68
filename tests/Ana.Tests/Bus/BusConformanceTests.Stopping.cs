using System.Diagnostics;
using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>
/// The two ways of stopping (issue 10, defect 2): dispose cancels the running handlers and returns within the grace;
/// drain lets them finish and answers what was queued with <see cref="AnaErrorCodes.Unavailable"/>.
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task Disposing_a_subscription_with_every_slot_busy_and_a_query_queued_cancels_the_handlers_and_returns()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 2 });
        (AgentSubscription serving, HandlerLog handlers) = await ServeUntilCancelledAsync(bob);
        AgentBus alice = await ConnectAsync("alice");

        // One-way queries: no timeout_s, so only the dispose can end their handlers.
        for (int i = 0; i < 3; i++)
        {
            await alice.QueryAsync("bob", $"job {i}");
        }

        await WaitUntilAsync(() => handlers.Started == 2);
        await serving.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(2, handlers.Cancelled);
        Assert.Equal(2, handlers.Started);
    }

    [SuiteFact]
    public async Task A_call_cancelled_because_its_subscription_stopped_fails_at_once_with_cancelled()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        AgentSubscription serving = await bob.SubscribeToMeAsync(async (_, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        });
        AgentBus alice = await ConnectAsync("alice");

        Task<Reply?> call = alice.QueryAndWaitAsync("bob", "work", timeout: Patience).AsTask();
        await started.Task.WaitAsync(Patience);
        Stopwatch stopping = Stopwatch.StartNew();
        await serving.DisposeAsync();
        Reply? reply = await call.WaitAsync(Patience);

        Assert.Equal(AnaErrorCodes.Cancelled, reply?.Error?.Code);
        Assert.True(stopping.Elapsed < Patience / 2, $"the caller waited {stopping.Elapsed}");
    }

    [SuiteFact]
    public async Task Disposing_the_bus_with_every_slot_busy_and_a_query_queued_cancels_the_handlers_and_returns()
    {
        AgentBus bob = await AgentBus.ConnectAsync("bob", Options with { MaxConcurrentHandlers = 2 });
        (_, HandlerLog handlers) = await ServeUntilCancelledAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            await alice.QueryAsync("bob", $"job {i}");
        }

        await WaitUntilAsync(() => handlers.Started == 2);
        await bob.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(2, handlers.Cancelled);
    }

    [SuiteFact]
    public async Task Dispose_waits_for_a_handler_that_ignores_its_token_only_the_shutdown_grace()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { ShutdownGrace = TimeSpan.FromMilliseconds(200) });
        TaskCompletionSource never = new();
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        AgentSubscription serving = await bob.SubscribeToMeAsync(async (_, _) =>
        {
            started.TrySetResult();
            await never.Task;
        });
        AgentBus alice = await ConnectAsync("alice");
        await alice.QueryAsync("bob", "stubborn");
        await started.Task.WaitAsync(Patience);

        Stopwatch stopping = Stopwatch.StartNew();
        await serving.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(stopping.Elapsed >= TimeSpan.FromMilliseconds(150), $"returned after {stopping.Elapsed}");
        Assert.Contains(Logger.Entries, e => e.Message.Contains("did not finish", StringComparison.Ordinal));
    }

    [SuiteFact]
    public async Task Draining_lets_the_running_call_finish_and_answers_the_queued_ones_unavailable()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1 });
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bool firstCancelled = false;
        AgentSubscription serving = await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            firstStarted.TrySetResult();
            await gate.Task;
            firstCancelled = context.CancellationToken.IsCancellationRequested;
            await context.ReplyAsync(Json("\"finished\""));
        });
        TaskCompletionSource sentinel = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeAsync("test.fleet.sentinel", (_, _) =>
        {
            sentinel.TrySetResult();
            return default;
        });
        AgentBus alice = await ConnectAsync("alice");

        ValueTask<Reply?> running = alice.QueryAndWaitAsync("bob", "first", "work", Patience);
        await firstStarted.Task.WaitAsync(Patience);
        ValueTask<Reply?> queued1 = alice.QueryAndWaitAsync("bob", "second", "work", Patience);
        ValueTask<Reply?> queued2 = alice.QueryAndWaitAsync("bob", "third", "work", Patience);

        // Published after the two queries on the same connection: once bob has it, bob's client holds them too.
        await WaitUntilAsync(() => bob.Statistics.Received >= 2);
        await alice.PublishAsync("test.fleet.sentinel", new Pulse { From = "alice", Ts = DateTimeOffset.UtcNow, Activity = "sentinel" });
        await sentinel.Task.WaitAsync(Patience);

        ValueTask drain = serving.DrainAsync(Patience);
        Reply? second = await queued1;
        Reply? third = await queued2;
        Assert.Equal(AnaErrorCodes.Unavailable, second!.Error!.Code);
        Assert.Equal(AnaErrorCodes.Unavailable, third!.Error!.Code);
        Assert.False(drain.IsCompleted);

        gate.SetResult();
        Reply? first = await running;
        await drain.AsTask().WaitAsync(Patience);

        Assert.Equal("finished", first!.Data!.Value.GetString());
        Assert.False(firstCancelled);
        await Assert.ThrowsAsync<AnaNoRespondersException>(async () => await alice.QueryAndWaitAsync("bob", "after", "work", Patience));
    }

    [SuiteFact]
    public async Task A_drain_that_runs_out_of_time_cancels_the_handlers_still_running()
    {
        AgentBus bob = await ConnectAsync("bob");
        (AgentSubscription serving, HandlerLog handlers) = await ServeUntilCancelledAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        await alice.QueryAsync("bob", "long job");
        await WaitUntilAsync(() => handlers.Started == 1);

        await serving.DrainAsync(TimeSpan.FromMilliseconds(100)).AsTask().WaitAsync(Patience);

        Assert.Equal(1, handlers.Cancelled);
        Assert.Contains(Logger.Entries, e => e.Message.Contains("did not finish while the subscription drained", StringComparison.Ordinal));
    }

    [SuiteFact]
    public async Task Draining_the_bus_finishes_handlers_that_call_other_agents_then_disposes_it()
    {
        AgentBus carol = await ConnectAsync("carol");
        await ServeEchoAsync(carol);
        AgentBus bob = await AgentBus.ConnectAsync("bob", Options);
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            started.TrySetResult();
            await gate.Task;
            Reply? downstream = await bob.QueryAndWaitAsync("carol", "from bob", timeout: Patience);
            await context.ReplyAsync(downstream!.Data);
        });
        AgentBus alice = await ConnectAsync("alice");
        ValueTask<Reply?> call = alice.QueryAndWaitAsync("bob", "relay", timeout: Patience);
        await started.Task.WaitAsync(Patience);

        ValueTask drain = bob.DrainAsync(Patience);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bob.SubscribeAsync("test.fleet.late", (_, _) => default));
        gate.SetResult();
        Reply? reply = await call;
        await drain.AsTask().WaitAsync(Patience);

        Assert.Equal("from bob", reply!.Data!.Value.GetProperty("echo").GetString());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bob.PulseAsync("gone"));
    }

    [SuiteFact]
    public async Task Stopping_times_outside_zero_to_24_days_are_refused()
    {
        AgentBus bob = await ConnectAsync("bob");
        AgentSubscription serving = await Track(bob.SubscribeToMeAsync((_, _) => default).AsTask());
        ArgumentOutOfRangeException drain = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await serving.DrainAsync(TimeSpan.FromSeconds(-1)));
        Assert.Equal("timeout", drain.ParamName);
        ArgumentOutOfRangeException grace = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await AgentBus.ConnectAsync("x", Options with { ShutdownGrace = TimeSpan.FromDays(25) }));
        Assert.Equal("options.ShutdownGrace", grace.ParamName);
    }

    private static async Task<(AgentSubscription Serving, HandlerLog Handlers)> ServeUntilCancelledAsync(AgentBus bus)
    {
        HandlerLog log = new();
        AgentSubscription serving = await bus.SubscribeToMeAsync(async (_, context) =>
        {
            Interlocked.Increment(ref log.StartedCount);
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref log.CancelledCount);
                throw;
            }
        });
        return (serving, log);
    }

    private sealed class HandlerLog
    {
        public int StartedCount;
        public int CancelledCount;

        public int Started => Volatile.Read(ref StartedCount);

        public int Cancelled => Volatile.Read(ref CancelledCount);
    }
}
