using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Ana.Contracts;
using Ana.Testing.Skipping;
using Ana.Tests.Contracts;

namespace Ana.Tests.Bus;

/// <summary>
/// Issue 11, items 6 and 7: the served call's context (<see cref="AnaCallContext.Current"/>), and queries on the bare
/// <c>&lt;prefix&gt;.&lt;agent&gt;.query</c> subject that the Python package allows (no topic).
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task A_served_method_sees_its_callers_identity_request_id_topic_and_deadline()
    {
        AgentBus server = await ConnectAsync("calc-1");
        ContextRecordingCalculator implementation = new();
        await Track(server.ServeAsync<ICalculator>(implementation).AsTask());
        AgentBus alice = await ConnectAsync("alice");

        DateTimeOffset before = DateTimeOffset.UtcNow;
        Reply? reply = await alice.QueryAndWaitAsync("calculator", "echo", "echo", TimeSpan.FromSeconds(20), Json("""{"text":"hi"}"""));
        DateTimeOffset after = DateTimeOffset.UtcNow;

        Assert.NotNull(reply);
        Assert.Null(reply.Error);
        AnaCallContext call = Assert.Single(implementation.Calls).Value;
        Assert.Equal("alice", call.From);
        Assert.Equal(reply.RequestId, call.RequestId);
        Assert.NotNull(call.RequestId);
        Assert.Equal("echo", call.Topic);
        Assert.Equal("calculator", call.Agent);
        Assert.Equal("test.fleet.calculator.query.echo", call.Subject);
        Assert.Equal("echo", call.Query.Text);
        Assert.NotNull(call.Deadline);
        Assert.InRange(call.Deadline.Value, before + TimeSpan.FromSeconds(19), after + TimeSpan.FromSeconds(21));
        Assert.True(call.CancellationToken.CanBeCanceled);
    }

    [SuiteFact]
    public async Task Concurrent_calls_each_see_their_own_context_and_none_is_left_after_them()
    {
        AgentBus server = await ConnectAsync("calc-1", Options with { MaxConcurrentHandlers = 8 });
        ContextRecordingCalculator implementation = new() { HoldUntil = 8 };
        await Track(server.ServeAsync<ICalculator>(implementation).AsTask());
        AgentBus alice = await ConnectAsync("alice");
        AgentBus carol = await ConnectAsync("carol");

        Task<Reply?>[] calls = new Task<Reply?>[8];
        for (int i = 0; i < calls.Length; i++)
        {
            AgentBus caller = i % 2 == 0 ? alice : carol;
            calls[i] = caller.QueryAndWaitAsync("calculator", "echo", "echo", Patience, Json($$"""{"text":"call {{i}}"}""")).AsTask();
        }

        Reply?[] replies = await Task.WhenAll(calls);

        for (int i = 0; i < calls.Length; i++)
        {
            Reply reply = Assert.IsType<Reply>(replies[i]);
            // The method answers with what it saw after all eight were running at once (Current read after the wait).
            Assert.Equal($"call {i}|{(i % 2 == 0 ? "alice" : "carol")}|{reply.RequestId}", reply.Data!.Value.GetString());
        }

        Assert.Equal(8, implementation.Calls.Count);
        Assert.Equal(8, implementation.Calls.Values.Select(c => c.RequestId).Distinct().Count());

        // What the method started without the execution context saw no call; what it started with it saw its own.
        Assert.All(implementation.SeenBySuppressedWork, seen => Assert.Null(seen));
        Assert.Equal(8, implementation.SeenBySuppressedWork.Count);
        Assert.Null(AnaCallContext.Current);
    }

    [SuiteFact]
    public async Task The_context_does_not_outlive_its_call_even_when_the_handler_throws()
    {
        // One handler at a time, so the envelopes after the failing query run on the same slot, in order.
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1 });
        ConcurrentQueue<(string Type, string? RequestId)> seen = new();
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await Track(bob.SubscribeAsync("test.fleet.>", (envelope, context) =>
        {
            seen.Enqueue((envelope.Type, AnaCallContext.Current?.RequestId));
            if (envelope is Query { Text: "fail" })
            {
                throw new InvalidOperationException("boom");
            }

            if (envelope is Pulse { Activity: "last" })
            {
                done.TrySetResult();
            }

            return default;
        }).AsTask());
        AgentBus alice = await ConnectAsync("alice");

        Query failing = await alice.QueryAsync("bob", "fail");
        await alice.PulseAsync("after the failure");
        Query next = await alice.QueryAsync("bob", "next");
        await alice.PulseAsync("last");
        await done.Task.WaitAsync(Patience);

        (string Type, string? RequestId)[] order = [.. seen.Where(s => s.Type is EnvelopeTypes.Query or EnvelopeTypes.Pulse)];
        Assert.Equal(
            [(EnvelopeTypes.Query, failing.RequestId), (EnvelopeTypes.Pulse, null), (EnvelopeTypes.Query, next.RequestId), (EnvelopeTypes.Pulse, null)],
            order);
    }

    [SuiteFact]
    public async Task A_query_on_the_bare_subject_reaches_SubscribeToMe_as_the_default_topic_and_is_answered_on_the_bare_reply_subject()
    {
        AgentBus bob = await ConnectAsync("bob");
        string? topicSeen = null;
        await Track(bob.SubscribeToMeAsync((envelope, context) =>
        {
            topicSeen = AnaCallContext.Current?.Topic;
            return context.ReplyAsync(Json("""{"status":"alive"}"""));
        }).AsTask());
        AgentBus observer = await ConnectAsync("observer");
        await using EnvelopeObserver replies = await EnvelopeObserver.StartAsync(observer, "test.fleet.bob.reply");

        // As a Python peer sends it: no topic, no reply-to, no typed-contract fields.
        await PublishRawAsync("test.fleet.bob.query", PythonQuery("bob", "status?", "py-1"));

        Reply reply = await replies.NextAsync<Reply>(Patience);
        Assert.Equal("test.fleet.bob.query", reply.ReplyFor);
        Assert.Equal("py-1", reply.RequestId);
        Assert.Equal("alive", reply.Data!.Value.GetProperty("status").GetString());
        Assert.Equal(AgentBus.DefaultTopic, topicSeen);
    }

    [SuiteFact]
    public async Task A_query_on_the_bare_subject_of_a_served_contract_without_a_default_topic_is_answered_not_found()
    {
        AgentBus server = await ConnectAsync("calc-1");
        await Track(server.ServeAsync<ICalculator>(new ContextRecordingCalculator()).AsTask());
        AgentBus observer = await ConnectAsync("observer");
        await using EnvelopeObserver inbox = await EnvelopeObserver.StartAsync(observer, "test.py.inbox.1");

        await PublishRawAsync("test.fleet.calculator.query", PythonQuery("calculator", "status?", "py-2"), replyTo: "test.py.inbox.1");

        Reply reply = await inbox.NextAsync<Reply>(Patience);
        Assert.Equal("py-2", reply.RequestId);
        Assert.Equal("test.fleet.calculator.query", reply.ReplyFor);
        Assert.Equal(AnaErrorCodes.NotFound, reply.Error?.Code);
        Assert.Contains("'default'", reply.Error!.Message, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task Serving_subscribes_to_the_bare_subject_in_the_same_queue_group_and_one_subscription_stops_both()
    {
        AgentBus first = await ConnectAsync("calc-1");
        AgentBus second = await ConnectAsync("calc-2");
        ContextRecordingCalculator one = new();
        ContextRecordingCalculator two = new();
        AgentSubscription serving = await first.ServeAsync<ICalculator>(one);
        await Track(second.ServeAsync<ICalculator>(two).AsTask());
        AgentBus alice = await ConnectAsync("alice");
        Assert.Equal(2, serving.TransportSubscriptions);

        // The queue group spans both subjects: each bare query is answered once, by one member.
        AgentBus observer = await ConnectAsync("observer");
        await using EnvelopeObserver replies = await EnvelopeObserver.StartAsync(observer, "test.fleet.calculator.reply");
        for (int i = 0; i < 6; i++)
        {
            await PublishRawAsync("test.fleet.calculator.query", PythonQuery("calculator", "status?", $"q{i}"));
        }

        HashSet<string?> answered = [];
        for (int i = 0; i < 6; i++)
        {
            answered.Add((await replies.NextAsync<Reply>(Patience)).RequestId);
        }

        Assert.Equal(6, answered.Count);

        // Disposed, the first member answers nothing: all goes to the second, on either subject.
        await serving.DisposeAsync();
        Assert.Equal(0, first.OpenSubscriptions);
        Reply? viaTopic = await alice.QueryAndWaitAsync("calculator", "echo", "echo", Patience, Json("""{"text":"x"}"""));
        Assert.StartsWith("x|alice|", viaTopic?.Data?.GetString(), StringComparison.Ordinal);
        Assert.Empty(one.Calls);
        Assert.Single(two.Calls);
        await PublishRawAsync("test.fleet.calculator.query", PythonQuery("calculator", "status?", "after"));
        Assert.Equal("after", (await replies.NextAsync<Reply>(Patience)).RequestId);
    }

    [SuiteFact]
    public async Task Draining_answers_a_queued_bare_query_unavailable_and_lets_the_running_one_finish()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MaxConcurrentHandlers = 1 });
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        AgentSubscription serving = await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            started.TrySetResult();
            await release.Task;
            await context.ReplyAsync(Json("""{"done":true}"""));
        });
        AgentBus observer = await ConnectAsync("observer");
        await using EnvelopeObserver replies = await EnvelopeObserver.StartAsync(observer, "test.fleet.bob.reply");

        await PublishRawAsync("test.fleet.bob.query", PythonQuery("bob", "running", "run-1"));
        await started.Task.WaitAsync(Patience);
        await PublishRawAsync("test.fleet.bob.query", PythonQuery("bob", "queued", "queued-1"));
        // The queued query reaches the dispatcher (waiting for the one slot) before the drain starts.
        await Task.Delay(200);
        Task drained = serving.DrainAsync(Patience).AsTask();

        Reply refused = await replies.NextAsync<Reply>(Patience);
        Assert.Equal(("queued-1", AnaErrorCodes.Unavailable), (refused.RequestId, refused.Error?.Code));
        release.TrySetResult();
        Reply finished = await replies.NextAsync<Reply>(Patience);
        Assert.Equal("run-1", finished.RequestId);
        Assert.Null(finished.Error);
        await drained.WaitAsync(Patience);
    }

    private static byte[] PythonQuery(string to, string text, string requestId)
        => Encoding.UTF8.GetBytes(
            $$"""{"type": "query", "from": "py-caller", "to": {{JsonSerializer.Serialize(to)}}, "query": {{JsonSerializer.Serialize(text)}}, "fields": null, "request_id": "{{requestId}}", "clock": null, "host": null, "ts": "2026-05-14T06:35:00.250000+00:00"}""");

    /// <summary>A calculator whose echo records the call context it ran in.</summary>
    private sealed class ContextRecordingCalculator : ICalculator
    {
        private int _running;

        /// <summary>When set, each echo waits until this many are running at once before it answers.</summary>
        public int HoldUntil { get; init; }

        public ConcurrentDictionary<string, AnaCallContext> Calls { get; } = new();

        public ConcurrentBag<AnaCallContext?> SeenBySuppressedWork { get; } = [];

        public Task<long> AddAsync(int a, long b, CancellationToken cancellationToken = default) => Task.FromResult(a + b);

        public async Task<string?> EchoAsync(string? text)
        {
            AnaCallContext call = AnaCallContext.Current ?? throw new InvalidOperationException("No call context in a served method.");
            Calls[call.RequestId ?? Guid.NewGuid().ToString()] = call;
            if (HoldUntil > 0)
            {
                Interlocked.Increment(ref _running);
                using CancellationTokenSource patience = new(Patience);
                while (Volatile.Read(ref _running) < HoldUntil)
                {
                    await Task.Delay(5, patience.Token);
                }

                Task<AnaCallContext?> suppressed;
                using (ExecutionContext.SuppressFlow())
                {
                    suppressed = Task.Run<AnaCallContext?>(() => AnaCallContext.Current);
                }

                SeenBySuppressedWork.Add(await suppressed);
            }

            AnaCallContext after = AnaCallContext.Current!;
            return $"{text}|{after.From}|{after.RequestId}";
        }

        public Task WaitAsync(int milliseconds, CancellationToken cancellationToken = default) => Task.Delay(milliseconds, cancellationToken);

        public Task NotifyAsync(string note) => Task.CompletedTask;
    }
}
