using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>Reply subjects: shared by the calls that wait on them, released when none does, trusted only for their own calls.</summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task Reply_subjects_no_call_waits_on_are_released_after_their_linger()
    {
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice", Options with { ReplySubjectLinger = TimeSpan.FromMilliseconds(100) });
        AgentBus mallory = await ConnectAsync("mallory");

        for (int topic = 0; topic < 50; topic++)
        {
            Reply? reply = await alice.QueryAndWaitAsync("bob", "hi", $"topic{topic}", Patience);
            Assert.NotNull(reply);
        }

        await WaitUntilAsync(() => alice.ReplySubjectCount == 0);

        // Released for real: a reply published there no longer reaches alice, not even to be dropped.
        Reply stray = new() { From = "bob", Ts = DateTimeOffset.UtcNow, ReplyFor = "test.fleet.bob.query.topic7", RequestId = "late-request-id" };
        await mallory.PublishAsync("test.fleet.bob.reply.topic7", stray);
        Reply? again = await alice.QueryAndWaitAsync("bob", "still there?", "topic8", Patience);
        Assert.Equal("still there?", again!.Data!.Value.GetProperty("echo").GetString());
        Assert.Equal(0, alice.Statistics.UnmatchedReplies);
    }

    [SuiteFact]
    public async Task Unused_reply_subjects_are_bounded_and_the_oldest_go_first()
    {
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice", Options with { ReplySubjectLinger = TimeSpan.FromHours(1), MaxIdleReplySubjects = 4 });

        for (int topic = 0; topic < 20; topic++)
        {
            await alice.QueryAndWaitAsync("bob", "hi", $"topic{topic}", Patience);

            // The evicted subject is unsubscribed in the background: it counts until the server has processed the UNSUB.
            await WaitUntilAsync(() => alice.ReplySubjectCount <= 4);
        }

        Assert.Equal(4, alice.ReplySubjectCount);

        // A subject released and needed again is subscribed afresh, after its old subscription closed.
        Reply? reply = await alice.QueryAndWaitAsync("bob", "first topic again", "topic0", Patience);
        Assert.Equal("first topic again", reply!.Data!.Value.GetProperty("echo").GetString());
    }

    [SuiteFact]
    public async Task A_reply_subject_shared_by_concurrent_calls_stays_until_the_last_call_ends()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            if (((Query)envelope).Text == "wait")
            {
                await release.Task;
            }

            await context.ReplyAsync(Json("\"done\""));
        });
        AgentBus alice = await ConnectAsync("alice", Options with { ReplySubjectLinger = TimeSpan.FromMilliseconds(50), MaxIdleReplySubjects = 0 });

        ValueTask<Reply?> waiting = alice.QueryAndWaitAsync("bob", "wait", "shared", Patience);
        await WaitUntilAsync(() => bob.Statistics.Received == 1);
        for (int i = 0; i < 10; i++)
        {
            Assert.NotNull(await alice.QueryAndWaitAsync("bob", "quick", "shared", Patience));
            Assert.Equal(1, alice.ReplySubjectCount);
        }

        release.SetResult();
        Assert.NotNull(await waiting);
        await WaitUntilAsync(() => alice.ReplySubjectCount == 0);
    }

    [SuiteFact]
    public async Task A_reply_with_the_right_id_on_another_agents_reply_subject_is_dropped_and_counted()
    {
        AgentBus eve = await ConnectAsync("eve");
        await ServeEchoAsync(eve);
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<(Query Query, InboundContext Context)> pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync((envelope, context) =>
        {
            pending.TrySetResult(((Query)envelope, context));
            return default;
        });
        AgentBus alice = await ConnectAsync("alice", Options with { ReplySubjectLinger = TimeSpan.FromHours(1) });
        AgentBus mallory = await ConnectAsync("mallory");

        // alice listens on eve's reply subject for topic "status" from now on.
        Assert.NotNull(await alice.QueryAndWaitAsync("eve", "hello", "status", Patience));
        ValueTask<Reply?> call = alice.QueryAndWaitAsync("bob", "status?", "status", Patience);
        (Query query, InboundContext context) = await pending.Task.WaitAsync(Patience);

        Reply forged = new() { From = "eve", Ts = DateTimeOffset.UtcNow, ReplyFor = "test.fleet.eve.query.status", RequestId = query.RequestId, Data = Json("\"forged\"") };
        await mallory.PublishAsync("test.fleet.eve.reply.status", forged);
        await WaitUntilAsync(() => alice.Statistics.UnmatchedReplies == 1);
        await context.ReplyAsync(Json("\"genuine\""));

        Reply? reply = await call;
        Assert.Equal("genuine", reply!.Data!.Value.GetString());
    }
}
