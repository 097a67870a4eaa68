using System.Collections.Concurrent;
using System.Text.Json;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>
/// Issue 6, security: the <c>authorization</c> block of docs/nats-notes.md ("Permissions: one agent, its own subjects")
/// confines each agent to its own subjects. alice calls bob; mallory tries to forge bob's replies and to read bob's queries.
/// </summary>
public sealed class PermissionsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "rel.perm";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ana-perm-" + Guid.NewGuid().ToString("N"));

    /// <summary>The same block as docs/nats-notes.md, for prefix <c>rel.perm</c>: alice calls bob, nobody calls mallory.</summary>
    public static string Configuration(string prefix) => $$"""
        authorization {
          users = [
            { user: alice, password: "alice-secret", permissions: {
                publish: {
                  allow: ["{{prefix}}.alice.reply", "{{prefix}}.alice.reply.>", "{{prefix}}.alice.ack", "{{prefix}}.alice.ack.>",
                          "{{prefix}}.alice.discovery", "{{prefix}}.alice.pulse", "{{prefix}}.*.query", "{{prefix}}.*.query.>",
                          "$SRV.>"]
                }
                subscribe: { allow: ["{{prefix}}.alice.query", "{{prefix}}.alice.query.>", "{{prefix}}.*.ack.alice.>", "{{prefix}}.bob.reply.>", "_INBOX_alice.>",
                                     "$SRV.*", "$SRV.*.alice", "$SRV.*.alice.*"] }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: bob, password: "bob-secret", permissions: {
                publish: {
                  allow: ["{{prefix}}.bob.reply", "{{prefix}}.bob.reply.>", "{{prefix}}.bob.ack", "{{prefix}}.bob.ack.>",
                          "{{prefix}}.bob.discovery", "{{prefix}}.bob.pulse", "{{prefix}}.*.query", "{{prefix}}.*.query.>",
                          "$SRV.>"]
                }
                subscribe: { allow: ["{{prefix}}.bob.query", "{{prefix}}.bob.query.>", "{{prefix}}.*.ack.bob.>", "_INBOX_bob.>",
                                     "$SRV.*", "$SRV.*.bob", "$SRV.*.bob.*"] }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: mallory, password: "mallory-secret", permissions: {
                publish: {
                  allow: ["{{prefix}}.mallory.reply", "{{prefix}}.mallory.reply.>", "{{prefix}}.mallory.ack", "{{prefix}}.mallory.ack.>",
                          "{{prefix}}.mallory.discovery", "{{prefix}}.mallory.pulse", "{{prefix}}.*.query", "{{prefix}}.*.query.>",
                          "$SRV.>"]
                }
                subscribe: { allow: ["{{prefix}}.mallory.query", "{{prefix}}.mallory.query.>", "{{prefix}}.*.ack.mallory.>", "_INBOX_mallory.>",
                                     "$SRV.*", "$SRV.*.mallory", "$SRV.*.mallory.*"] }
                allow_responses: { max: -1, expires: "1h" }
            } }
          ]
        }
        """;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static AgentBusOptions As(string url, string user, RecordingLogger log) => new()
    {
        Url = url,
        Prefix = Prefix,
        Username = user,
        Password = user + "-secret",
        LoggerFactory = new RecordingLoggerFactory(log),
        // Each agent's inboxes under its own prefix, so that nobody may subscribe to another's inbox.
        ConfigureNats = o => o with { InboxPrefix = "_INBOX_" + user },
    };

    [OwnNatsServerFact]
    public async Task An_agent_is_confined_to_its_own_subjects()
    {
        string config = Path.Combine(_dir, "nats.conf");
        await File.WriteAllTextAsync(config, Configuration(Prefix));
        await using NatsServer nats = await NatsServer.StartAsync("-c", config);
        RecordingLogger aliceLog = new(), bobLog = new(), malloryLog = new();
        Worker bobWorker = new("bob");
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", As(nats.Url, "bob", bobLog));
        await using AgentSubscription serving = await bob.ServeAsync<IWorker>(bobWorker, new ServeOptions { Agent = "bob" });
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", As(nats.Url, "alice", aliceLog));
        await using AgentBus mallory = await AgentBus.ConnectAsync("mallory", As(nats.Url, "mallory", malloryLog));
        IWorker toBob = alice.Client<IWorker>("bob");
        int violationsTried = 0;

        // alice's calls to bob work.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(Worker.Expected(i, "perm"), await toBob.EchoAsync(i, "perm"));
        }

        // alice watches bob's reply subject (she may: she awaits bob's replies).
        ConcurrentQueue<Envelope> seenByAlice = new();
        await using AgentSubscription watch = await alice.SubscribeAsync($"{Prefix}.bob.reply.>", (envelope, _) =>
        {
            seenByAlice.Enqueue(envelope);
            return default;
        });

        // Control: bob publishing on his own reply subject reaches alice.
        await bob.PublishAsync($"{Prefix}.bob.reply.echo", Forged("bob"));
        await WaitUntilAsync(() => seenByAlice.Count == 1);

        // mallory forges a reply on bob's reply subject: the server refuses it and tells mallory.
        violationsTried++;
        await mallory.PublishAsync($"{Prefix}.bob.reply.echo", Forged("mallory"));
        LogEntry publishDenied = await malloryLog.WaitForAsync(
            e => e.Message.Contains("Permissions Violation for Publish", StringComparison.OrdinalIgnoreCase)
                && e.Message.Contains($"{Prefix}.bob.reply.echo", StringComparison.Ordinal),
            Patience);
        output.WriteLine($"mallory's log: [{publishDenied.Level}] {publishDenied.Message}");

        // The server dropped the forged message before answering mallory; a call round trip later, alice still has only bob's.
        Assert.Equal(Worker.Expected(99, "perm"), await toBob.EchoAsync(99, "perm"));
        await bob.PublishAsync($"{Prefix}.bob.reply.echo", Forged("bob"));
        await WaitUntilAsync(() => seenByAlice.Count >= 2);
        Assert.All(seenByAlice, e => Assert.Equal("bob", e.From));
        // bob's two control replies match no call: alice drops and counts those she still listens for (her reply subject
        // for bob lingers 10 s after her calls); mallory's never came, as the watch above saw.
        Assert.InRange(alice.Statistics.UnmatchedReplies, 0, 2);

        // mallory tries to read bob's queries, plainly and by serving the contract as bob (in bob's queue group).
        ConcurrentQueue<Envelope> seenByMallory = new();
        violationsTried++;
        Exception? subscribeError = await Record(async () => await mallory.SubscribeAsync($"{Prefix}.bob.query.>", (envelope, _) =>
        {
            seenByMallory.Enqueue(envelope);
            return default;
        }));
        violationsTried++;
        Exception? serveError = await Record(async () => await mallory.ServeAsync<IWorker>(new Worker("mallory"), new ServeOptions { Agent = "bob" }));
        output.WriteLine($"mallory's SubscribeAsync: {subscribeError?.GetType().Name ?? "returned"} {subscribeError?.Message}");
        output.WriteLine($"mallory's ServeAsync: {serveError?.GetType().Name ?? "returned"} {serveError?.Message}");
        LogEntry subscribeDenied = await malloryLog.WaitForAsync(
            e => e.Message.Contains("Permissions Violation for Subscription", StringComparison.OrdinalIgnoreCase)
                && e.Message.Contains($"{Prefix}.bob.query.>", StringComparison.Ordinal),
            Patience);
        output.WriteLine($"mallory's log: [{subscribeDenied.Level}] {subscribeDenied.Message}");
        Assert.IsType<AnaPermissionException>(subscribeError);
        Assert.IsType<AnaPermissionException>(serveError);

        // mallory calling bob: she may publish the query but not listen for bob's replies, and is told so at once.
        violationsTried++;
        AnaPermissionException call = await Assert.ThrowsAsync<AnaPermissionException>(() => mallory.Client<IWorker>("bob").EchoAsync(1, "m"));
        Assert.Equal($"{Prefix}.bob.reply.echo", call.Subject);

        // NATS micro discovery: alice asks bob's service for its INFO; mallory may not answer in bob's name.
        await using (NatsConnection aliceRaw = new(new NatsOpts
        {
            Url = nats.Url,
            AuthOpts = NatsAuthOpts.Default with { Username = "alice", Password = "alice-secret" },
            InboxPrefix = "_INBOX_alice",
        }))
        {
            NatsMsg<byte[]> info = await aliceRaw.RequestAsync<byte[], byte[]>("$SRV.INFO.bob", [], replyOpts: new NatsSubOpts { Timeout = Patience });
            JsonElement bobInfo = JsonDocument.Parse(info.Data!).RootElement;
            Assert.Equal(("io.nats.micro.v1.info_response", "bob"), (bobInfo.GetProperty("type").GetString(), bobInfo.GetProperty("name").GetString()));
            Assert.Contains(bobInfo.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("subject").GetString() == $"{Prefix}.bob.query.echo");
        }

        // The same through alice's bus, as `ana describe` and the CLI's check of --data ask: on $SRV.INFO.bob, answered on her inbox.
        List<AgentDescription> described = [];
        await foreach (AgentDescription instance in alice.DescribeAsync("bob", TimeSpan.FromSeconds(2)))
        {
            described.Add(instance);
        }

        Assert.Contains(Assert.Single(described).Topics, t => t.Subject == $"{Prefix}.bob.query.echo" && t.ArgumentsSchema is not null);

        violationsTried++;
        await Assert.ThrowsAsync<AnaPermissionException>(async () => await mallory.SubscribeAsync("$SRV.INFO.bob", (_, _) => default));

        // bob alone answers alice, and mallory sees nothing of it.
        for (int i = 0; i < 50; i++)
        {
            Served served = await toBob.WhoAsync(i);
            Assert.Equal(("bob", i), (served.Server, served.N));
        }

        Assert.Empty(seenByMallory);
        Assert.DoesNotContain(aliceLog.Entries, e => e.Message.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(bobLog.Entries, e => e.Message.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase));
        output.WriteLine($"violations tried by mallory: {violationsTried}; alice's calls to bob: 71, all answered by bob");
    }

    /// <summary>
    /// Streams and cancellation under the same block (issue 13): bob streams to alice's inbox (many responses to one
    /// reply-to, which <c>allow_responses: { max: -1 }</c> allows) and takes her credit and cancellation on
    /// <c>rel.perm.alice.ack.bob.&lt;topic&gt;</c>; mallory may not publish there, and what she publishes on her own ack
    /// subjects steers none of alice's calls.
    /// </summary>
    [OwnNatsServerFact]
    public async Task Streams_and_cancellation_work_under_the_block_and_only_the_caller_steers_its_call()
    {
        string config = Path.Combine(_dir, "nats.conf");
        await File.WriteAllTextAsync(config, Configuration(Prefix));
        await using NatsServer nats = await NatsServer.StartAsync("-c", config);
        RecordingLogger aliceLog = new(), bobLog = new(), malloryLog = new();
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", As(nats.Url, "bob", bobLog));
        TaskCompletionSource<string> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<bool> cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using AgentSubscription serving = await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            if (context.Subject.EndsWith(".count", StringComparison.Ordinal))
            {
                await context.ReplyStreamAsync(CountAsync(200, context.CancellationToken), PermissionJson.Default.Int32, context.CancellationToken);
                return;
            }

            started.TrySetResult(AnaCallContext.Current!.RequestId!);
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
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", As(nats.Url, "alice", aliceLog));
        await using AgentBus mallory = await AgentBus.ConnectAsync("mallory", As(nats.Url, "mallory", malloryLog));

        // 200 items through a window of 8: 200 responses to one reply-to, and 25 grants of credit.
        List<int> items = [];
        await foreach (Reply item in alice.QueryStreamAsync("bob", "count", "count", Patience, window: 8))
        {
            items.Add(item.Data!.Value.GetInt32());
        }

        Assert.Equal(Enumerable.Range(1, 200), items);

        using CancellationTokenSource stop = new();
        Task<Reply?> call = alice.QueryAndWaitAsync("bob", "slow", "slow", TimeSpan.FromMinutes(10), cancellationToken: stop.Token).AsTask();
        string requestId = await started.Task.WaitAsync(Patience);

        // mallory may not publish on alice's ack subjects; on her own, bob ignores what she says of alice's call.
        await mallory.PublishAsync($"{Prefix}.alice.ack.bob.slow", new Ack { From = "alice", Ts = DateTimeOffset.UtcNow, AckFor = $"{Prefix}.bob.query.slow", RequestId = requestId, Cancel = true });
        await malloryLog.WaitForAsync(
            e => e.Message.Contains("Permissions Violation for Publish", StringComparison.OrdinalIgnoreCase) && e.Message.Contains($"{Prefix}.alice.ack.bob.slow", StringComparison.Ordinal),
            Patience);
        // (Credit alice granted while the stream's last items were on their way is dropped and counted too.)
        long droppedBefore = bob.Statistics.DroppedControlMessages;
        await mallory.PublishAsync($"{Prefix}.mallory.ack.bob.slow", new Ack { From = "alice", Ts = DateTimeOffset.UtcNow, AckFor = $"{Prefix}.bob.query.slow", RequestId = requestId, Cancel = true });
        await WaitUntilAsync(() => bob.Statistics.DroppedControlMessages > droppedBefore);
        Assert.False(cancelled.Task.IsCompleted);

        // alice cancels: bob's handler is told.
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await cancelled.Task.WaitAsync(Patience));

        Assert.DoesNotContain(aliceLog.Entries, e => e.Message.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(bobLog.Entries, e => e.Message.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase));

        static async IAsyncEnumerable<int> CountAsync(int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (int i = 1; i <= count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
                await Task.Yield();
            }
        }
    }

    [OwnNatsServerFact]
    public async Task A_server_refused_the_bare_query_subject_serves_its_topics_and_says_why_it_cannot_answer_the_bare_one()
    {
        // Permissions written before queries without a topic were served: bob may subscribe to query.> only.
        string config = Path.Combine(_dir, "nats-old.conf");
        await File.WriteAllTextAsync(config, $$"""
            authorization {
              users = [
                { user: alice, password: "alice-secret" }
                { user: bob, password: "bob-secret", permissions: {
                    publish: { allow: [">"] }
                    subscribe: { allow: ["{{Prefix}}.bob.query.>", "_INBOX_bob.>"] }
                } }
              ]
            }
            """);
        await using NatsServer nats = await NatsServer.StartAsync("-c", config);
        RecordingLogger aliceLog = new(), bobLog = new();
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", As(nats.Url, "bob", bobLog));
        await using AgentSubscription serving = await bob.ServeAsync<IWorker>(new Worker("bob"), new ServeOptions { Agent = "bob" });
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", As(nats.Url, "alice", aliceLog));

        // EchoAsync's deadline is 2 s: on a loaded machine (the full suite, 2 shared cores) the first call may miss it.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Assert.Equal(Worker.Expected(1, "old"), await alice.Client<IWorker>("bob").EchoAsync(1, "old"));
                break;
            }
            catch (AnaTimeoutException) when (attempt < 5)
            {
            }
        }
        LogEntry warning = await bobLog.WaitForAsync(
            e => e.Message.Contains($"refused the subscription to '{Prefix}.bob.query'", StringComparison.Ordinal),
            Patience);
        output.WriteLine($"bob's log: [{warning.Level}] {warning.Message}");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);

        // Nor may bob subscribe to the $SRV subjects: he serves, undiscoverable, and says so.
        LogEntry undiscoverable = await bobLog.WaitForAsync(
            e => e.Message.Contains("the service 'bob' is served but not discoverable with NATS micro", StringComparison.Ordinal),
            Patience);
        output.WriteLine($"bob's log: [{undiscoverable.Level}] {undiscoverable.Message}");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, undiscoverable.Level);
    }

    private static Reply Forged(string from) => new()
    {
        From = from,
        Ts = DateTimeOffset.UtcNow,
        ReplyFor = $"{Prefix}.bob.query.echo",
        RequestId = Guid.NewGuid().ToString("N"),
        Data = JsonDocument.Parse("\"forged\"").RootElement.Clone(),
    };

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource bound = new(Patience);
        while (!condition())
        {
            await Task.Delay(10, bound.Token);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class PermissionJson : System.Text.Json.Serialization.JsonSerializerContext;
