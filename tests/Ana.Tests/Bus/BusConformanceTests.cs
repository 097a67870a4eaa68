using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Ana.Testing.Logging;
using Ana.Testing.Skipping;
using Microsoft.Extensions.Logging;

namespace Ana.Tests.Bus;

/// <summary>
/// The behaviour every transport must give an <see cref="AgentBus"/>. It runs unchanged on the in-process broker
/// and on a real nats-server (the two subclasses), so neither can drift from the other.
/// </summary>
public abstract partial class BusConformanceTests : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];

    protected RecordingLogger Logger { get; } = new();

    /// <summary>A URL no other test uses at the same time.</summary>
    protected abstract string Url { get; }

    /// <summary>Publishes bytes as they are, with no envelope around them, from a connection of no bus.</summary>
    protected abstract Task PublishRawAsync(string subject, byte[] payload, string? replyTo = null);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    protected AgentBusOptions Options => new()
    {
        Url = Url,
        Prefix = "test.fleet",
        LoggerFactory = new RecordingLoggerFactory(Logger),
    };

    protected async Task<AgentBus> ConnectAsync(string identity, AgentBusOptions? options = null)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, options ?? Options);
        _cleanup.Add(bus);
        return bus;
    }

    protected async Task<T> Track<T>(Task<T> disposable)
        where T : IAsyncDisposable
    {
        T value = await disposable;
        _cleanup.Add(value);
        return value;
    }

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected static async Task<AgentSubscription> ServeEchoAsync(AgentBus bus)
        => await bus.SubscribeToMeAsync((envelope, context) =>
        {
            Query query = Assert.IsType<Query>(envelope);
            return context.ReplyAsync(Json($$"""{"echo":{{JsonSerializer.Serialize(query.Text)}},"data":{{(query.Data?.GetRawText() ?? "null")}}}"""));
        });

    [SuiteFact]
    public async Task QueryAndWait_gets_the_reply_through_the_inbox()
    {
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        // One handler at a time, so that what arrives on the reply subject is observed in arrival order.
        AgentBus observer = await ConnectAsync("observer", Options with { MaxConcurrentHandlers = 1 });
        await using EnvelopeObserver replySubject = await EnvelopeObserver.StartAsync(observer, "test.fleet.bob.reply.>");

        Reply? reply = await alice.QueryAndWaitAsync("bob", "status?", "status", Patience, Json("""{"n":1}"""));

        Assert.NotNull(reply);
        Assert.Equal("bob", reply.From);
        Assert.Equal("test.fleet.bob.query.status", reply.ReplyFor);
        Assert.Equal("status?", reply.Data!.Value.GetProperty("echo").GetString());
        Assert.Equal(1, reply.Data.Value.GetProperty("data").GetProperty("n").GetInt32());
        Assert.NotNull(reply.Clock);
        Assert.NotNull(reply.Host);
        Assert.Equal(0, alice.Statistics.UnmatchedReplies);

        // The inbox carried the reply: nothing came on bob's reply subject before this marker.
        await bob.PulseAsync("marker");
        await bob.PublishAsync("test.fleet.bob.reply.status", new Ack { From = "bob", AckFor = "marker", Ts = DateTimeOffset.UtcNow });
        Assert.Equal("marker", (await replySubject.NextAsync<Ack>()).AckFor);
    }

    [SuiteFact]
    public async Task QueryAndWait_accepts_a_reply_on_the_responders_reply_subject_as_the_Python_package_sends_it()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            Query query = (Query)envelope;
            Reply reply = new()
            {
                From = "bob",
                Ts = DateTimeOffset.UtcNow,
                ReplyFor = context.Subject,
                RequestId = query.RequestId,
                Data = Json("""{"alive":true}"""),
            };
            await bob.PublishAsync("test.fleet.bob.reply.status", reply);
        });
        AgentBus alice = await ConnectAsync("alice");

        Reply? answer = await alice.QueryAndWaitAsync("bob", "status?", "status", Patience);

        Assert.NotNull(answer);
        Assert.True(answer.Data!.Value.GetProperty("alive").GetBoolean());
    }

    [SuiteFact]
    public async Task Mirrored_replies_reach_observers_and_the_caller_only_once()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { MirrorRepliesToReplySubject = true });
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        AgentBus carol = await ConnectAsync("carol");
        await using EnvelopeObserver observer = await EnvelopeObserver.StartAsync(carol, "test.fleet.bob.reply.>");

        Reply? reply = await alice.QueryAndWaitAsync("bob", "hi", "greet", Patience);

        Assert.NotNull(reply);
        Reply mirrored = await observer.NextAsync<Reply>();
        Assert.Equal(reply.RequestId, mirrored.RequestId);
        await WaitUntilAsync(() => alice.Statistics.UnmatchedReplies == 1);
    }

    [SuiteFact]
    public async Task A_fire_and_forget_query_arrives_with_stamps_and_a_request_id()
    {
        AgentBus bob = await ConnectAsync("bob");
        await using EnvelopeObserver inbox = await EnvelopeObserver.StartAsync(bob, bob.Subjects.VerbWildcard("bob", SubjectVerb.Query));
        AgentBus alice = await ConnectAsync("alice");

        Query sent = await alice.QueryAsync("bob", "status?", fields: ["uptime"]);

        (Envelope envelope, InboundContext context) = await inbox.NextAsync();
        Query received = Assert.IsType<Query>(envelope);
        Assert.Equal("test.fleet.bob.query.default", context.Subject);
        Assert.Null(context.ReplyTo);
        Assert.Equal(sent.RequestId, received.RequestId);
        Assert.Equal(16, received.RequestId!.Length);
        Assert.Equal(["uptime"], received.Fields);
        Assert.Equal("alice", received.From);
        Assert.NotNull(received.Clock?.LocalTime);
        Assert.True(received.Clock!.UptimeSeconds >= 0);
        Assert.Equal(Environment.MachineName, received.Host);
        Assert.InRange(DateTimeOffset.UtcNow - received.Ts, TimeSpan.Zero, Patience);
    }

    [SuiteFact]
    public async Task An_ack_is_published_on_the_acknowledging_agents_ack_subject()
    {
        AgentBus carol = await ConnectAsync("carol");
        await carol.SubscribeToMeAsync((_, context) => context.AckAsync());
        AgentBus alice = await ConnectAsync("alice");
        await using EnvelopeObserver acks = await EnvelopeObserver.StartAsync(alice, "test.fleet.carol.ack.>");

        await alice.QueryAsync("carol", "status?", "status");

        (Envelope envelope, InboundContext context) = await acks.NextAsync();
        Ack ack = Assert.IsType<Ack>(envelope);
        Assert.Equal("test.fleet.carol.ack.status", context.Subject);
        Assert.Equal("test.fleet.carol.query.status", ack.AckFor);
        Assert.True(ack.Alive);
        Assert.Equal("carol", ack.From);
    }

    [SuiteFact]
    public async Task Discovery_and_pulse_are_announced_on_the_agents_own_subjects()
    {
        AgentBus observerBus = await ConnectAsync("observer");
        await using EnvelopeObserver fleet = await EnvelopeObserver.StartAsync(observerBus, observerBus.Subjects.FleetWildcard);
        AgentBus dave = await ConnectAsync("dave");

        await dave.AnnounceDiscoveryAsync("worker", new Dictionary<string, JsonElement> { ["gpu"] = Json("\"A100\"") });
        await dave.PulseAsync("training", "step=4200");

        // Handlers run concurrently, so the two may be handled in either order.
        (Envelope Envelope, InboundContext Context)[] received = new[] { await fleet.NextAsync(), await fleet.NextAsync() };
        (Envelope first, InboundContext firstContext) = received.Single(r => r.Envelope is Discovery);
        Discovery discovery = (Discovery)first;
        Assert.Equal("test.fleet.dave.discovery", firstContext.Subject);
        Assert.Equal("worker", discovery.Role);
        Assert.Equal(["test.fleet.dave.>"], discovery.SubjectsOwned);
        Assert.Equal("A100", discovery.Capabilities!["gpu"].GetString());

        (Envelope second, InboundContext secondContext) = received.Single(r => r.Envelope is Pulse);
        Pulse pulse = (Pulse)second;
        Assert.Equal("test.fleet.dave.pulse", secondContext.Subject);
        Assert.Equal("training", pulse.Activity);
        Assert.Equal("step=4200", pulse.State);
    }

    [SuiteFact]
    public async Task Nobody_listening_fails_at_once_with_no_responders()
    {
        AgentBus alice = await ConnectAsync("alice");

        // A timeout far beyond the test's patience: only the no-responders notice can end the call in time.
        AnaNoRespondersException error = await Assert.ThrowsAsync<AnaNoRespondersException>(
            async () => await alice.QueryAndWaitAsync("nobody", "status?", "status", TimeSpan.FromMinutes(10)).AsTask().WaitAsync(Patience));

        Assert.Equal("test.fleet.nobody.query.status", error.Subject);
        Assert.Equal(AnaErrorCodes.NoResponders, error.Code);
    }

    [SuiteFact]
    public async Task No_reply_in_time_returns_null_and_the_handler_sees_the_deadline()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<bool> cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult(true);
                throw;
            }
        });
        AgentBus alice = await ConnectAsync("alice");
        Stopwatch elapsed = Stopwatch.StartNew();

        Reply? reply = await alice.QueryAndWaitAsync("bob", "slow", "slow", TimeSpan.FromMilliseconds(300)).AsTask().WaitAsync(Patience);

        Assert.Null(reply);
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {elapsed.Elapsed}, before the 300 ms deadline");
        Assert.True(await cancelled.Task.WaitAsync(Patience));
        Assert.Equal(0, bob.Statistics.HandlerFailures);
    }

    [SuiteFact]
    public async Task Cancellation_throws_OperationCanceledException()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, _) => default);
        AgentBus alice = await ConnectAsync("alice");
        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await alice.QueryAndWaitAsync("bob", "q", timeout: Patience, cancellationToken: cts.Token));
    }

    [SuiteFact]
    public async Task A_handler_that_throws_answers_with_an_error_and_keeps_serving()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((envelope, context) => ((Query)envelope).Text switch
        {
            "crash" => throw new InvalidOperationException("secret detail"),
            "teapot" => throw new AnaException("teapot", "I am a teapot."),
            _ => context.ReplyAsync(Json("\"fine\"")),
        });
        AgentBus alice = await ConnectAsync("alice");

        Reply? crashed = await alice.QueryAndWaitAsync("bob", "crash", timeout: Patience);
        Reply? teapot = await alice.QueryAndWaitAsync("bob", "teapot", timeout: Patience);
        Reply? fine = await alice.QueryAndWaitAsync("bob", "ok", timeout: Patience);

        Assert.Equal(AnaErrorCodes.Internal, crashed!.Error!.Code);
        Assert.DoesNotContain("secret", crashed.Error.Message, StringComparison.Ordinal);
        Assert.Null(crashed.Data);
        Assert.Equal(("teapot", "I am a teapot.", "bob"), (teapot!.Error!.Code, teapot.Error.Message, teapot.Error.Origin?.Agent));
        Assert.Equal("fine", fine!.Data!.Value.GetString());
        Assert.Equal(2, bob.Statistics.HandlerFailures);
        Assert.Contains(Logger.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret detail");
    }

    [SuiteFact]
    public async Task Exception_messages_travel_only_when_exposed()
    {
        AgentBus bob = await ConnectAsync("bob", Options with { ExposeExceptionMessages = true });
        await bob.SubscribeToMeAsync((_, _) => throw new InvalidOperationException("secret detail"));
        AgentBus alice = await ConnectAsync("alice");

        Reply? reply = await alice.QueryAndWaitAsync("bob", "crash", timeout: Patience);

        Assert.Equal("secret detail", reply!.Error!.Message);
    }

    [SuiteFact]
    public async Task Malformed_messages_are_logged_counted_and_dropped_and_serving_goes_on()
    {
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        string[] vectors = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "wire", "invalid"));

        foreach (string vector in vectors)
        {
            await PublishRawAsync("test.fleet.bob.query.status", await File.ReadAllBytesAsync(vector));
        }

        Reply? reply = await alice.QueryAndWaitAsync("bob", "still there?", "status", Patience);

        Assert.Equal("still there?", reply!.Data!.Value.GetProperty("echo").GetString());
        await WaitUntilAsync(() => bob.Statistics.Malformed == vectors.Length);
        Assert.Equal(vectors.Length, Logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("malformed", StringComparison.Ordinal)));
    }

    [SuiteFact]
    public async Task Replies_with_unknown_or_forged_request_ids_are_dropped_and_counted()
    {
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<InboundContext> pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync((_, context) =>
        {
            pending.TrySetResult(context);
            return default;
        });
        AgentBus alice = await ConnectAsync("alice");
        AgentBus mallory = await ConnectAsync("mallory");

        ValueTask<Reply?> call = alice.QueryAndWaitAsync("bob", "status?", "status", Patience);
        InboundContext context = await pending.Task.WaitAsync(Patience);
        Reply forged = new() { From = "bob", Ts = DateTimeOffset.UtcNow, ReplyFor = context.Subject, RequestId = "guessed-id-12345", Data = Json("\"forged\"") };
        await mallory.PublishAsync("test.fleet.bob.reply.status", forged);
        await WaitUntilAsync(() => alice.Statistics.UnmatchedReplies == 1);
        await context.ReplyAsync(Json("\"genuine\""));

        Reply? reply = await call;
        Assert.Equal("genuine", reply!.Data!.Value.GetString());
    }

    [SuiteFact]
    public async Task Sixty_four_concurrent_calls_are_each_answered_once_with_their_own_reply()
    {
        AgentBus bob = await ConnectAsync("bob");
        int handled = 0;
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            Interlocked.Increment(ref handled);
            await Task.Yield();
            await context.ReplyAsync(((Query)envelope).Data);
        });
        AgentBus alice = await ConnectAsync("alice");

        Task<Reply?>[] calls = Enumerable.Range(0, 64)
            .Select(i => alice.QueryAndWaitAsync("bob", "n", "count", Patience, Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).AsTask())
            .ToArray();
        Reply?[] replies = await Task.WhenAll(calls);

        for (int i = 0; i < replies.Length; i++)
        {
            Assert.Equal(i, replies[i]!.Data!.Value.GetInt32());
        }

        Assert.Equal(64, handled);
        Assert.Equal(64, replies.Select(r => r!.RequestId).Distinct().Count());
        Assert.Equal(0, alice.Statistics.UnmatchedReplies);
        Assert.Equal(64, alice.Statistics.Received);
    }

    [SuiteFact]
    public async Task Queue_group_members_share_the_queries()
    {
        int first = 0, second = 0;
        AgentBus worker1 = await ConnectAsync("pool");
        AgentBus worker2 = await ConnectAsync("pool");
        await worker1.SubscribeToMeAsync((_, c) => { Interlocked.Increment(ref first); return c.ReplyAsync(null); }, queueGroup: "pool");
        await worker2.SubscribeToMeAsync((_, c) => { Interlocked.Increment(ref second); return c.ReplyAsync(null); }, queueGroup: "pool");
        AgentBus alice = await ConnectAsync("alice");

        for (int i = 0; i < 40; i++)
        {
            Assert.NotNull(await alice.QueryAndWaitAsync("pool", "work", timeout: Patience));
        }

        Assert.Equal(40, first + second);
        Assert.True(first > 0 && second > 0, $"first {first}, second {second}");
    }

    [SuiteFact]
    public async Task Every_publish_is_audited()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ana-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (AgentBus alice = await AgentBus.ConnectAsync("alice", Options with { AuditLogPath = path }))
            {
                await alice.PulseAsync("auditing");
                await alice.QueryAsync("bob", "status?", "status");
            }

            string[] lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(2, lines.Length);
            using JsonDocument pulseLine = JsonDocument.Parse(lines[0]);
            Assert.Equal("test.fleet.alice.pulse", pulseLine.RootElement.GetProperty("subject").GetString());
            Assert.IsType<Pulse>(EnvelopeSerializer.Parse(pulseLine.RootElement.GetProperty("envelope").GetRawText()));
            using JsonDocument queryLine = JsonDocument.Parse(lines[1]);
            Assert.Equal("test.fleet.bob.query.status", queryLine.RootElement.GetProperty("subject").GetString());
            Assert.Equal("status?", Assert.IsType<Query>(EnvelopeSerializer.Parse(queryLine.RootElement.GetProperty("envelope").GetRawText())).Text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SuiteFact]
    public async Task Disposing_a_subscription_stops_delivery()
    {
        AgentBus bob = await ConnectAsync("bob");
        AgentSubscription serving = await ServeEchoAsync(bob);
        AgentBus alice = await ConnectAsync("alice");
        Assert.NotNull(await alice.QueryAndWaitAsync("bob", "one", timeout: Patience));

        await serving.DisposeAsync();

        await Assert.ThrowsAsync<AnaNoRespondersException>(async () => await alice.QueryAndWaitAsync("bob", "two", timeout: Patience));
    }

    [SuiteFact]
    public async Task A_timeout_outside_1_ms_to_24_days_is_refused_naming_the_parameter_and_the_range()
    {
        AgentBus bus = await ConnectAsync("impatient");
        foreach (TimeSpan timeout in (TimeSpan[])[TimeSpan.MaxValue, TimeSpan.FromDays(25), TimeSpan.FromTicks(1), TimeSpan.Zero, TimeSpan.FromSeconds(-5)])
        {
            ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
                async () => await bus.QueryAndWaitAsync("nobody", "hello", timeout: timeout));
            Assert.Equal("timeout", ex.ParamName);
            Assert.Contains("at least 1 ms and at most 24 days", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, bus.Statistics.Published);
    }

    [SuiteFact]
    public async Task A_default_timeout_outside_the_range_is_refused_before_connecting()
    {
        foreach (TimeSpan timeout in (TimeSpan[])[TimeSpan.FromSeconds(-5), TimeSpan.Zero, TimeSpan.MaxValue])
        {
            ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
                async () => await AgentBus.ConnectAsync("impatient", Options with { DefaultTimeout = timeout }));
            Assert.Equal("options.DefaultTimeout", ex.ParamName);
        }
    }

    [SuiteFact]
    public async Task Reconnect_settings_outside_their_range_are_refused_before_connecting()
    {
        (AgentBusOptions Options, string Parameter)[] cases =
        [
            (Options with { ReconnectWaitMin = TimeSpan.Zero }, "options.ReconnectWaitMin"),
            (Options with { ReconnectWaitMin = TimeSpan.FromSeconds(-1) }, "options.ReconnectWaitMin"),
            (Options with { ReconnectWaitMin = TimeSpan.MaxValue, ReconnectWaitMax = TimeSpan.MaxValue }, "options.ReconnectWaitMin"),
            (Options with { ReconnectWaitMin = TimeSpan.FromSeconds(3), ReconnectWaitMax = TimeSpan.FromSeconds(2) }, "options.ReconnectWaitMax"),
            (Options with { ReconnectWaitMax = TimeSpan.FromDays(25) }, "options.ReconnectWaitMax"),
            (Options with { ReconnectJitter = TimeSpan.FromMilliseconds(-1) }, "options.ReconnectJitter"),
            (Options with { ReconnectJitter = TimeSpan.MaxValue }, "options.ReconnectJitter"),
        ];
        foreach ((AgentBusOptions options, string parameter) in cases)
        {
            ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
                async () => await AgentBus.ConnectAsync("reconnecting", options));
            Assert.Equal(parameter, ex.ParamName);
        }

        // The edges are valid: 1 ms, a constant wait (min = max), no jitter.
        await using AgentBus edge = await AgentBus.ConnectAsync("reconnecting", Options with
        {
            ReconnectWaitMin = TimeSpan.FromMilliseconds(1),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(1),
            ReconnectJitter = TimeSpan.Zero,
        });
    }

    [SuiteFact]
    public async Task A_disposed_subscription_is_not_kept_by_the_bus()
    {
        AgentBus bus = await ConnectAsync("cycler");
        for (int i = 0; i < 300; i++)
        {
            AgentSubscription subscription = await bus.SubscribeAsync($"test.fleet.cycle.{i % 7}", (_, _) => default);
            Assert.Equal(1, bus.OpenSubscriptions);
            await subscription.DisposeAsync();
            await subscription.DisposeAsync();
        }

        Assert.Equal(0, bus.OpenSubscriptions);
        await using AgentSubscription live = await bus.SubscribeToMeAsync((_, _) => default);
        Assert.Equal(1, bus.OpenSubscriptions);
    }

    [SuiteFact]
    public async Task Disposing_the_bus_ends_waiting_calls_at_once()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, _) => default);
        AgentBus alice = await AgentBus.ConnectAsync("alice", Options);
        ValueTask<Reply?> call = alice.QueryAndWaitAsync("bob", "never answered", timeout: TimeSpan.FromMinutes(5));
        await WaitUntilAsync(() => bob.Statistics.Received == 1);

        await alice.DisposeAsync();

        // The call's own timeout is five minutes: only the dispose can end it within the test's patience.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call.AsTask().WaitAsync(Patience));
    }

    [SuiteFact]
    public async Task Invalid_names_are_refused_before_anything_is_sent()
    {
        AgentBus alice = await ConnectAsync("alice");
        await Assert.ThrowsAsync<ArgumentException>(async () => await alice.QueryAsync("bob.*", "x"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await alice.QueryAndWaitAsync("bob", "x", "a.>"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await AgentBus.ConnectAsync("al ice", Options));
        Assert.Equal(0, alice.Statistics.Published);
    }

    [SuiteFact]
    public async Task A_query_whose_reply_would_overflow_the_protocol_line_is_dropped_and_counted()
    {
        const int attempts = 20;
        AgentBus bob = await ConnectAsync("bob");
        int longOnesHandled = 0;
        await bob.SubscribeToMeAsync((envelope, context) =>
        {
            if (context.Subject.Length > 1000)
            {
                Interlocked.Increment(ref longOnesHandled);
            }

            return context.ReplyAsync(Json("""{"ok":true}"""));
        });
        AgentBus alice = await ConnectAsync("alice");

        // nats-server takes "PUB <subject> <size>" up to 4,096 bytes after the verb: this query's line is exactly that long
        // (a payload of three digits), and its reply's would not be (the reply echoes the subject: four digits).
        const string queryPrefix = "test.fleet.bob.query.";
        string subject = queryPrefix + new string('t', 4096 - 4 - queryPrefix.Length);
        byte[] query = Utf8("""{"type": "query", "from": "raw", "to": "bob", "query": "status?", "ts": "2026-05-14T06:35:00Z"}""");
        for (int i = 0; i < attempts; i++)
        {
            await PublishRawAsync(subject, query);
            Reply? reply = await alice.QueryAndWaitAsync("bob", "still there?", "status", Patience);
            Assert.NotNull(reply);
        }

        await WaitUntilAsync(() => bob.Statistics.UnanswerableQueries == attempts);
        Assert.Equal(0, longOnesHandled);
        Assert.Equal(0, bob.Statistics.HandlerFailures);
        Assert.DoesNotContain(Logger.Entries, e => e.Message.Contains("connection lost", StringComparison.Ordinal));
        LogEntry[] warnings = [.. Logger.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Dropped a query", StringComparison.Ordinal))];
        Assert.Equal(attempts, warnings.Length);
        Assert.All(warnings, w => Assert.True(w.Message.Length < 600, "the log does not echo the whole subject: " + w.Message.Length));
    }

    [SuiteFact]
    public async Task Queries_with_an_invalid_subject_or_reply_to_are_dropped_and_counted()
    {
        AgentBus bob = await ConnectAsync("bob");
        int handled = 0;
        await bob.SubscribeToMeAsync((envelope, context) =>
        {
            Interlocked.Increment(ref handled);
            return context.ReplyAsync(null);
        });
        AgentBus alice = await ConnectAsync("alice");
        byte[] query = Utf8("""{"type": "query", "from": "raw", "to": "bob", "query": "q", "ts": "2026-05-14T06:35:00Z"}""");
        (string Subject, string? ReplyTo)[] bad =
        [
            ("test.fleet.bob.query.a\u0001b", null),
            ("test.fleet.bob.query." + new string('x', SubjectScheme.MaxTopicBytes + 1), null),
            ("test.fleet.bob.query.ok", "_INBOX.x.>"),
            ("test.fleet.bob.query.ok", "_INBOX..x"),
            ("test.fleet.bob.query.ok", "_INBOX." + new string('r', 4061)), // fits the sender's line, not the budget of a reply to it
        ];

        int sent = 0;
        foreach ((string subject, string? replyTo) in bad)
        {
            try
            {
                await PublishRawAsync(subject, query, replyTo);
                sent++;
            }
            catch (ArgumentException)
            {
                // The in-process broker refuses some of these subjects itself: they reach nobody.
            }
        }

        Reply? reply = await alice.QueryAndWaitAsync("bob", "still there?", "status", Patience);

        Assert.NotNull(reply);
        Assert.True(sent > 0);
        Stopwatch waited = Stopwatch.StartNew();
        while (bob.Statistics.UnanswerableQueries < sent && waited.Elapsed < Patience)
        {
            await Task.Delay(10);
        }

        Assert.True(
            bob.Statistics.UnanswerableQueries == sent,
            $"{bob.Statistics.UnanswerableQueries} of {sent} dropped: " + string.Join(" | ", Logger.Entries.Where(e => e.Message.StartsWith("Dropped", StringComparison.Ordinal)).Select(e => e.Message[..Math.Min(e.Message.Length, 160)])));
        Assert.Equal(1, handled);
        Assert.DoesNotContain(Logger.Entries, e => e.Message.Contains("connection lost", StringComparison.Ordinal));
    }

    [SuiteFact]
    public async Task Names_over_their_caps_and_lines_over_the_budget_are_refused_before_anything_is_sent()
    {
        AgentBus alice = await ConnectAsync("alice");
        AgentBus bob = await ConnectAsync("bob");
        await ServeEchoAsync(bob);
        string longTopic = new('t', 4100);
        string longAgent = new('b', SubjectScheme.MaxAgentBytes + 1);
        string wideTopic = new('é', 600); // 600 chars, 1,200 bytes in UTF-8

        ArgumentException topic = await Assert.ThrowsAsync<ArgumentException>(async () => await alice.QueryAsync("bob", "x", longTopic));
        Assert.Equal("topic", topic.ParamName);
        Assert.Contains("4100 bytes", topic.Message, StringComparison.Ordinal);
        Assert.Contains("1024 bytes", topic.Message, StringComparison.Ordinal);
        ArgumentException agent = await Assert.ThrowsAsync<ArgumentException>(async () => await alice.QueryAndWaitAsync(longAgent, "x"));
        Assert.StartsWith("Agent name 'bbb", agent.Message, StringComparison.Ordinal);
        Assert.Contains("129 bytes", agent.Message, StringComparison.Ordinal);
        ArgumentException wide = await Assert.ThrowsAsync<ArgumentException>(async () => await alice.QueryAndWaitAsync("bob", "x", wideTopic));
        Assert.Contains("1200 bytes", wide.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await alice.PublishAsync("test.fleet.bob.query." + longTopic, new Pulse { From = "alice", Activity = "a", Ts = DateTimeOffset.UtcNow }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await alice.PublishAsync("test.fleet.bob.query.*", new Pulse { From = "alice", Activity = "a", Ts = DateTimeOffset.UtcNow }));
        Assert.Equal(0, alice.Statistics.Published);

        // A budget smaller than the server's: a topic within its cap whose line would not fit is refused too.
        AgentBus small = await ConnectAsync("small", Options with { MaxControlLineBytes = AgentBusOptions.MinControlLineBytes });
        ArgumentException line = await Assert.ThrowsAsync<ArgumentException>(async () => await small.QueryAndWaitAsync("bob", "x", new string('t', 500)));
        Assert.Contains("MaxControlLineBytes (512)", line.Message, StringComparison.Ordinal);
        Assert.Equal(0, small.Statistics.Published);

        // Each refusal left the connection as it was.
        Reply? reply = await alice.QueryAndWaitAsync("bob", "still connected?", new string('é', 500), Patience);
        Assert.Equal("still connected?", reply!.Data!.Value.GetProperty("echo").GetString());
        Assert.DoesNotContain(Logger.Entries, e => e.Message.Contains("connection lost", StringComparison.Ordinal));
    }

    [SuiteFact]
    public async Task Invalid_or_too_long_subscription_subjects_are_refused()
    {
        AgentBus bus = await ConnectAsync("alice");
        foreach (string subject in new[] { "a b", "a..b", "a.b*", "a.>.b", "a.\u0001", "a." + new string('x', 4100) })
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await bus.SubscribeAsync(subject, (_, _) => default));
        }

        await Assert.ThrowsAsync<ArgumentException>(async () => await bus.SubscribeAsync("a.b", (_, _) => default, queueGroup: "g h"));
        await using AgentSubscription valid = await bus.SubscribeAsync("a.*.é.>", (_, _) => default, queueGroup: "g");
        Assert.Equal(1, bus.OpenSubscriptions);
    }

    [SuiteFact]
    public async Task A_prefix_or_identity_over_its_cap_or_a_tiny_line_budget_fails_ConnectAsync()
    {
        ArgumentException identity = await Assert.ThrowsAsync<ArgumentException>(async () => await AgentBus.ConnectAsync(new string('a', 200), Options));
        Assert.Equal("identity", identity.ParamName);
        ArgumentException prefix = await Assert.ThrowsAsync<ArgumentException>(async () => await AgentBus.ConnectAsync("a", Options with { Prefix = new string('p', 129) }));
        Assert.Equal("options.Prefix", prefix.ParamName);
        ArgumentOutOfRangeException budget = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await AgentBus.ConnectAsync("a", Options with { MaxControlLineBytes = 100 }));
        Assert.Equal("options.MaxControlLineBytes", budget.ParamName);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, "the condition did not become true in time");
            await Task.Delay(10);
        }
    }

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
