using System.Runtime.CompilerServices;
using System.Text.Json;
using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>
/// Streamed results and cancellation that reaches the server (issue 13, sections 1 and 4): items in order and each
/// once, flow control by credit, early stops and cancellations that run the server's <c>finally</c>, and a hostile or
/// broken peer that cannot make the caller buffer, skip or repeat items.
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task A_stream_arrives_in_order_each_item_once_and_ends()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Count(100, context.CancellationToken), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        List<int> received = [];
        await foreach (Reply item in alice.QueryStreamAsync("bob", "count", "count", Patience, window: 8))
        {
            Assert.Null(item.Error);
            received.Add(item.Data!.Value.GetInt32());
        }

        Assert.Equal(Enumerable.Range(1, 100), received);
    }

    [SuiteFact]
    public async Task An_empty_stream_ends_at_once()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Count(0, context.CancellationToken), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        int items = 0;
        await foreach (Reply _ in alice.QueryStreamAsync("bob", "count", "count", Patience))
        {
            items++;
        }

        Assert.Equal(0, items);
    }

    [SuiteFact]
    public async Task Stopping_early_tells_the_agent_whose_iterator_is_cancelled_and_runs_its_finally()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<bool> finallyRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Endless(finallyRan, context.CancellationToken), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        int taken = 0;
        await foreach (Reply _ in alice.QueryStreamAsync("bob", "endless", "endless", Patience, window: 4))
        {
            if (++taken == 3)
            {
                break;
            }
        }

        // The iterator saw its token fire (the caller's cancel, well before the stream's 30 s deadline).
        Assert.True(await finallyRan.Task.WaitAsync(Patience));
    }

    [SuiteFact]
    public async Task Cancelling_the_enumeration_stops_the_stream_on_both_sides()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<bool> finallyRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Endless(finallyRan, context.CancellationToken), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");
        using CancellationTokenSource stop = new();

        int taken = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Reply _ in alice.QueryStreamAsync("bob", "endless", "endless", Patience, window: 4).WithCancellation(stop.Token))
            {
                if (++taken == 5)
                {
                    await stop.CancelAsync();
                }
            }
        });

        Assert.True(await finallyRan.Task.WaitAsync(Patience));
    }

    [SuiteFact]
    public async Task An_error_ends_the_stream_with_a_typed_exception_after_the_items_sent()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(FailAfter(3), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        List<int> received = [];
        AnaRemoteException error = await Assert.ThrowsAsync<AnaRemoteException>(async () =>
        {
            await foreach (Reply item in alice.QueryStreamAsync("bob", "fail", "fail", Patience))
            {
                received.Add(item.Data!.Value.GetInt32());
            }
        });

        Assert.Equal([1, 2, 3], received);
        Assert.Equal("bad_request", error.Code);
        Assert.Equal("bob", error.Origin?.Agent);
    }

    [SuiteFact]
    public async Task The_agent_does_not_run_ahead_of_the_callers_window()
    {
        AgentBus bob = await ConnectAsync("bob");
        int produced = 0;
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Produce(), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        await using IAsyncEnumerator<Reply> stream = alice.QueryStreamAsync("bob", "produce", "produce", Patience, window: 4).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        // One item taken, none granted back yet (credit goes back half a window at a time): the agent stops at four.
        for (int waited = 0; Volatile.Read(ref produced) < 4 && waited < 3000; waited += 10)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        Assert.Equal(4, Volatile.Read(ref produced));

        // Taking one more grants two: the agent goes on to six.
        Assert.True(await stream.MoveNextAsync());
        for (int waited = 0; Volatile.Read(ref produced) < 6 && waited < 30_000; waited += 10)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        Assert.Equal(6, Volatile.Read(ref produced));

        async IAsyncEnumerable<int> Produce([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (int i = 1; ; i++)
            {
                Interlocked.Increment(ref produced);
                yield return i;
                await Task.Yield();
            }
        }
    }

    [SuiteFact]
    public async Task A_plain_query_to_a_streaming_handler_gets_the_first_item()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, context) => context.ReplyStreamAsync(Count(10, context.CancellationToken), TestJson.Default.Int32));
        AgentBus alice = await ConnectAsync("alice");

        Reply? reply = await alice.QueryAndWaitAsync("bob", "count", "count", Patience);

        Assert.Equal(1, reply?.Data?.GetInt32());
        Assert.Null(reply?.Sequence);
    }

    [SuiteFact]
    public async Task A_plain_reply_is_a_stream_of_one_item()
    {
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice");

        List<Reply> items = [];
        await foreach (Reply item in alice.QueryStreamAsync("bob", "hello", "echo", Patience))
        {
            items.Add(item);
        }

        Assert.Equal("hello", Assert.Single(items).Data!.Value.GetProperty("echo").GetString());
    }

    [SuiteFact]
    public async Task Duplicates_are_dropped_and_a_gap_fails_the_stream()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            // A hand-written peer whose network repeats item 2 and loses item 3.
            foreach (long sequence in new long[] { 1, 2, 2, 1, 4, 5 })
            {
                await bob.PublishAsync(context.ReplyTo!, Item(bob, context, sequence));
            }
        });
        AgentBus alice = await ConnectAsync("alice");
        long dropped = alice.Statistics.UnmatchedReplies;

        List<long> received = [];
        AnaException error = await Assert.ThrowsAsync<AnaException>(async () =>
        {
            await foreach (Reply item in alice.QueryStreamAsync("bob", "broken", "broken", Patience))
            {
                received.Add(item.Data!.Value.GetInt64());
            }
        });

        Assert.Equal([1, 2], received);
        Assert.Equal(AnaErrorCodes.BadResponse, error.Code);
        Assert.Contains("skipped from item 2 to item 4", error.Message, StringComparison.Ordinal);
        Assert.True(alice.Statistics.UnmatchedReplies >= dropped + 2);
    }

    [SuiteFact]
    public async Task A_peer_that_ignores_credit_cannot_make_the_caller_buffer_past_its_window()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            for (long sequence = 1; sequence <= 1000; sequence++)
            {
                await bob.PublishAsync(context.ReplyTo!, Item(bob, context, sequence));
            }
        });
        AgentBus alice = await ConnectAsync("alice");

        await using IAsyncEnumerator<Reply> stream = alice.QueryStreamAsync("bob", "flood", "flood", Patience, window: 4).GetAsyncEnumerator();
        AnaException error = await Assert.ThrowsAsync<AnaException>(async () =>
        {
            // The first item is read at once; the flood fills the window behind it, and the item past it fails the stream.
            Assert.True(await stream.MoveNextAsync());
            await Task.Delay(500);
            while (await stream.MoveNextAsync())
            {
            }
        });

        Assert.Equal(AnaErrorCodes.BadResponse, error.Code);
        Assert.Contains("ignores flow control", error.Message, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task Cancelling_a_plain_call_cancels_its_handler()
    {
        AgentBus bob = await ConnectAsync("bob");
        (Task<string> started, Task cancelled) = await ServeWaitingForCancellationAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        using CancellationTokenSource stop = new();

        Task<Reply?> call = alice.QueryAndWaitAsync("bob", "slow", "slow", TimeSpan.FromMinutes(10), cancellationToken: stop.Token).AsTask();
        await started.WaitAsync(Patience);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await cancelled.WaitAsync(Patience);
        Assert.Equal(0, bob.Statistics.HandlerFailures);
    }

    [SuiteFact]
    public async Task A_cancellation_travels_over_two_hops()
    {
        // The planner (bob) calls the scheduler (carol) with its own call's token; alice gives up on the planner.
        AgentBus carol = await ConnectAsync("carol");
        (Task<string> carolStarted, Task carolCancelled) = await ServeWaitingForCancellationAsync(carol);
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource bobCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            try
            {
                await bob.QueryAndWaitAsync("carol", "schedule", "schedule", TimeSpan.FromMinutes(10), cancellationToken: context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                bobCancelled.TrySetResult();
                throw;
            }
        });
        AgentBus alice = await ConnectAsync("alice");
        using CancellationTokenSource stop = new();
        Task<Reply?> call = alice.QueryAndWaitAsync("bob", "plan", "plan", TimeSpan.FromMinutes(10), cancellationToken: stop.Token).AsTask();
        await carolStarted.WaitAsync(Patience);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await bobCancelled.Task.WaitAsync(Patience);
        await carolCancelled.WaitAsync(Patience);
        Assert.Equal(0, bob.Statistics.HandlerFailures + carol.Statistics.HandlerFailures);
    }

    [SuiteFact]
    public async Task Only_the_caller_can_cancel_its_call()
    {
        AgentBus bob = await ConnectAsync("bob");
        (Task<string> started, Task cancelled) = await ServeWaitingForCancellationAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        AgentBus mallory = await ConnectAsync("mallory");
        using CancellationTokenSource stop = new();
        Task<Reply?> call = alice.QueryAndWaitAsync("bob", "slow", "slow", TimeSpan.FromMinutes(10), cancellationToken: stop.Token).AsTask();
        string requestId = await started.WaitAsync(Patience);

        // Mallory knows the request id, but may only publish on her own subjects: bob ignores her.
        await mallory.PublishAsync("test.fleet.mallory.ack.bob.slow", new Ack { From = "alice", Ts = DateTimeOffset.UtcNow, AckFor = "test.fleet.bob.query.slow", RequestId = requestId, Cancel = true });
        await mallory.PublishAsync("test.fleet.mallory.ack.bob.slow", new Ack { From = "mallory", Ts = DateTimeOffset.UtcNow, AckFor = "x", RequestId = "nobody", Credit = 5 });
        for (int waited = 0; bob.Statistics.DroppedControlMessages < 2 && waited < 30_000; waited += 10)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, bob.Statistics.DroppedControlMessages);
        Assert.False(cancelled.IsCompleted);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await cancelled.WaitAsync(Patience);
    }

    [SuiteFact]
    public async Task Stream_items_credit_and_progress_for_calls_that_ended_are_dropped_and_counted()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<(string ReplyTo, string RequestId, string Subject)> served = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            served.TrySetResult((context.ReplyTo!, ((Query)envelope).RequestId!, context.Subject));
            await context.ReplyStreamAsync(Count(3, context.CancellationToken), TestJson.Default.Int32);
        });
        AgentBus alice = await ConnectAsync("alice");
        int items = 0;
        await foreach (Reply _ in alice.QueryStreamAsync("bob", "count", "count", Patience))
        {
            items++;
        }

        (string replyTo, string requestId, string subject) = await served.Task;
        long aliceDropped = alice.Statistics.UnmatchedReplies, bobDropped = bob.Statistics.DroppedControlMessages;

        // bob, late: one more item, a duplicate, and a progress report, all for the stream that ended.
        await bob.PublishAsync(replyTo, new Reply { From = "bob", Ts = DateTimeOffset.UtcNow, ReplyFor = subject, RequestId = requestId, Data = Json("4"), Sequence = 4 });
        await bob.PublishAsync(replyTo, new Reply { From = "bob", Ts = DateTimeOffset.UtcNow, ReplyFor = subject, RequestId = requestId, Data = Json("1"), Sequence = 1 });
        await bob.PublishAsync(replyTo, new Ack { From = "bob", Ts = DateTimeOffset.UtcNow, AckFor = subject, RequestId = requestId, Progress = Json("{\"step\":9}") });

        // alice, late: credit for it, and a cancellation of a call bob never served.
        await alice.PublishAsync("test.fleet.alice.ack.bob.count", new Ack { From = "alice", Ts = DateTimeOffset.UtcNow, AckFor = subject, RequestId = requestId, Credit = 8 });
        await alice.PublishAsync("test.fleet.alice.ack.bob.count", new Ack { From = "alice", Ts = DateTimeOffset.UtcNow, AckFor = subject, RequestId = "never-sent", Cancel = true });

        for (int waited = 0; (alice.Statistics.UnmatchedReplies < aliceDropped + 3 || bob.Statistics.DroppedControlMessages < bobDropped + 2) && waited < 30_000; waited += 10)
        {
            await Task.Delay(10);
        }

        Assert.Equal(3, items);
        Assert.Equal(aliceDropped + 3, alice.Statistics.UnmatchedReplies);
        Assert.Equal(bobDropped + 2, bob.Statistics.DroppedControlMessages);
        Assert.Equal(0, alice.Statistics.HandlerFailures + bob.Statistics.HandlerFailures);

        // Both still work.
        int again = 0;
        await foreach (Reply _ in alice.QueryStreamAsync("bob", "count", "count", Patience))
        {
            again++;
        }

        Assert.Equal(3, again);
    }

    [SuiteFact]
    public async Task An_untyped_call_gets_its_progress_reports_in_order_before_its_reply()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            IProgress<int> progress = context.CreateProgress(TestJson.Default.Int32);
            for (int step = 1; step <= 10; step++)
            {
                progress.Report(step);
                await Task.Yield();
            }

            await context.ReplyAsync(Json("\"planned\""));
        });
        AgentBus alice = await ConnectAsync("alice");
        List<int> seen = [];

        Reply? reply = await alice.QueryWithProgressAsync("bob", "plan", new Collect(seen), "plan", Patience, heartbeat: TimeSpan.FromSeconds(30));

        Assert.Equal("planned", reply?.Data?.GetString());
        Assert.Equal(Enumerable.Range(1, 10), seen);

        // A plain query to the same handler: no reports asked for, none sent, the same reply.
        Reply? plain = await alice.QueryAndWaitAsync("bob", "plan", "plan", Patience);
        Assert.Equal("planned", plain?.Data?.GetString());
        Assert.Equal(0, alice.Statistics.UnmatchedReplies);
    }

    private sealed class Collect(List<int> into) : IProgress<System.Text.Json.JsonElement>
    {
        public void Report(System.Text.Json.JsonElement value)
        {
            lock (into)
            {
                into.Add(value.GetInt32());
            }
        }
    }

    /// <summary>Serves queries with a handler that waits until its token fires; the request id of the first, and when its token fired.</summary>
    private static async Task<(Task<string> Started, Task Cancelled)> ServeWaitingForCancellationAsync(AgentBus bus)
    {
        TaskCompletionSource<string> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bus.SubscribeToMeAsync(async (_, context) =>
        {
            started.TrySetResult(AnaCallContext.Current!.RequestId!);
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        return (started.Task, cancelled.Task);
    }

    private static Reply Item(AgentBus bus, InboundContext context, long sequence) => new()
    {
        From = bus.Identity,
        Ts = DateTimeOffset.UtcNow,
        ReplyFor = context.Subject,
        RequestId = ((Query)context.Envelope).RequestId,
        Data = JsonSerializer.SerializeToElement(sequence, TestJson.Default.Int64),
        Sequence = sequence,
    };

    private static async IAsyncEnumerable<int> Count(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
            await Task.Yield();
        }
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource<bool> finallyRan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (int i = 1; ; i++)
            {
                yield return i;
                await Task.Delay(1, cancellationToken);
            }
        }
        finally
        {
            finallyRan.TrySetResult(cancellationToken.IsCancellationRequested);
        }
    }

    private static async IAsyncEnumerable<int> FailAfter(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            yield return i;
            await Task.Yield();
        }

        throw new AnaException(AnaErrorCodes.BadRequest, "No more.");
    }
}
