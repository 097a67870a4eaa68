using System.Security.Cryptography;
using System.Text;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// Issue 16, permissions: the durable blocks of docs/nats-notes.md ("Durable work (JetStream)") on nats-server 2.9.10 with
/// JetStream. A caller, a server that creates what durable work needs, a server that uses what an administrator created
/// and an operator (<c>ana parked</c>, <c>ana durable status</c>) each work with exactly their documented rights; a server
/// refused the acknowledgement of its messages says so and stops taking them, rather than having them delivered again and again.
/// </summary>
public sealed class DurablePermissionsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "dur.perm";
    private const string Agent = "indexer";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Topics = ["index", "enqueue", "flaky"];
    private readonly string _directory = Directory.CreateTempSubdirectory("ana-js-perms-").FullName;
    private readonly List<IAsyncDisposable> _cleanup = [];
    private NatsServer _server = null!;

    private static string WorkStream => "ANA_WORK_" + Prefix.Replace('.', '_');

    private static string ParkedStream => "ANA_PARKED_" + Prefix.Replace('.', '_');

    private static string Bucket => "ANA_DONE_" + Prefix.Replace('.', '_');

    /// <summary>
    /// The blocks of docs/nats-notes.md for <paramref name="prefix"/> and the agent <c>indexer</c>: an administrator with
    /// every right; the durable caller; a server that creates what it needs (<c>managed</c>), one that only uses it
    /// (<c>operated</c>), one refused its acknowledgements (<c>noack</c>: the managed block without <c>$JS.ACK</c> and with
    /// <c>allow_responses: true</c>); the operator of <c>ana parked</c> and <c>ana durable status</c>.
    /// </summary>
    public static string Configuration(string prefix, string store) => $$"""
        jetstream { store_dir: "{{store}}" }
        authorization {
          users = [
            { user: admin, password: "admin-secret" }
            { user: caller, password: "caller-secret", permissions: {
                publish: { allow: {{List(CallerPublish(prefix))}} }
                subscribe: { allow: {{List(CallerSubscribe(prefix))}} }
            } }
            { user: managed, password: "managed-secret", permissions: {
                publish: { allow: {{List(ServerPublish(prefix, manage: true, ack: true))}} }
                subscribe: { allow: {{List(ServerSubscribe(prefix, "managed"))}} }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: operated, password: "operated-secret", permissions: {
                publish: { allow: {{List(ServerPublish(prefix, manage: false, ack: true))}} }
                subscribe: { allow: {{List(ServerSubscribe(prefix, "operated"))}} }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: noack, password: "noack-secret", permissions: {
                publish: { allow: {{List(ServerPublish(prefix, manage: true, ack: false))}} }
                subscribe: { allow: {{List(ServerSubscribe(prefix, "noack"))}} }
                allow_responses: true
            } }
            { user: nopull, password: "nopull-secret", permissions: {
                publish: { allow: {{List(ServerPublish(prefix, manage: true, ack: true).Where(r => !r.StartsWith("$JS.API.CONSUMER.MSG.NEXT.", StringComparison.Ordinal)))}} }
                subscribe: { allow: {{List(ServerSubscribe(prefix, "nopull"))}} }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: norecords, password: "norecords-secret", permissions: {
                publish: { allow: {{List(ServerPublish(prefix, manage: true, ack: true).Where(r => !r.StartsWith("$JS.API.STREAM.INFO.KV_", StringComparison.Ordinal)))}} }
                subscribe: { allow: {{List(ServerSubscribe(prefix, "norecords"))}} }
                allow_responses: { max: -1, expires: "1h" }
            } }
            { user: operator, password: "operator-secret", permissions: {
                publish: { allow: {{List(OperatorPublish(prefix))}} }
                subscribe: { allow: ["_INBOX_operator.>"] }
            } }
          ]
        }
        """;

    public async Task InitializeAsync()
    {
        string store = Path.Combine(_directory, "store").Replace('\\', '/');
        _server = await NatsServer.StartWithConfigAsync(Configuration(Prefix, store), _directory);
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        output.WriteLine(string.Join('\n', Violations()));
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [OwnNatsServerFact]
    public async Task A_caller_a_managed_server_and_an_operator_work_with_exactly_their_rights()
    {
        RecordingLogger serverLog = new(), callerLog = new(), operatorLog = new();
        Indexer indexer = new("managed");
        AgentBus server = await ConnectAsync(Agent, "managed", serverLog);
        _cleanup.Add(await server.ServeAsync<IIndexer>(indexer));

        await RunWorkAsync(server, indexer, "managed", callerLog);

        AgentBus operatorBus = await ConnectAsync("operator", "operator", operatorLog);
        DurableStatus status = await operatorBus.DurableWork.GetStatusAsync();
        Assert.All(status.Streams, s => Assert.True(s.Exists, s.Name));
        Assert.Equal(Topics.Select(Filter).Order(StringComparer.Ordinal), status.Consumers.Select(c => c.FilterSubject));
        ParkedMessage parked = Assert.Single(await ListParkedAsync(operatorBus));
        Assert.Equal(($"{Prefix}.{Agent}.work.flaky", 3), (parked.OriginalSubject, parked.Attempts));

        // Replayed: stored again on its work subject, run three more times and parked again; then dropped.
        await operatorBus.DurableWork.ReplayParkedAsync(parked.Sequence);
        await WaitUntilAsync(() => server.Statistics.DurableParked == 2);
        ParkedMessage again = Assert.Single(await ListParkedAsync(operatorBus));
        Assert.True(await operatorBus.DurableWork.DropParkedAsync(again.Sequence));
        Assert.Empty(await ListParkedAsync(operatorBus));

        AssertNoViolation(serverLog, callerLog, operatorLog);
    }

    [OwnNatsServerFact]
    public async Task A_server_that_manages_nothing_works_with_the_rights_to_use_what_an_administrator_created()
    {
        // The administrator (no restriction) serves once: it creates the streams, the bucket and the consumers.
        await using (AgentBus admin = await ConnectAsync(Agent, "admin", new RecordingLogger()))
        {
            await using AgentSubscription created = await admin.ServeAsync<IIndexer>(new Indexer("admin"));
        }

        RecordingLogger serverLog = new(), callerLog = new();
        Indexer indexer = new("operated");
        AgentBus server = await ConnectAsync(Agent, "operated", serverLog, manage: false);
        _cleanup.Add(await server.ServeAsync<IIndexer>(indexer));

        await RunWorkAsync(server, indexer, "operated", callerLog);
        AssertNoViolation(serverLog, callerLog);
    }

    /// <summary>
    /// A server whose user may not publish on <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&gt;</c> and has
    /// <c>allow_responses: true</c> (one response per delivered message): the first in-progress acknowledgement of a handler
    /// that runs a while is allowed, those after it and the final acknowledgement are refused. The server says so once and
    /// stops taking that work; the message is not lost, and a server with the rights settles it.
    /// </summary>
    [OwnNatsServerFact]
    public async Task A_server_refused_its_acknowledgements_says_so_and_stops_taking_that_work()
    {
        RecordingLogger serverLog = new(), callerLog = new();
        Indexer refused = new("noack") { Linger = TimeSpan.FromSeconds(1.5) };
        AgentBus server = await ConnectAsync(Agent, "noack", serverLog);
        AgentSubscription serving = await server.ServeAsync<IIndexer>(refused);
        AgentBus caller = await ConnectAsync("caller", "caller", callerLog);

        await caller.Client<IIndexer>().EnqueueAsync(new Document(1, "never acknowledged"));
        string right = $"$JS.ACK.{WorkStream}.{ConsumerName(Filter("enqueue"))}.>";
        LogEntry error = await serverLog.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains($"refused '{right}'", StringComparison.Ordinal), Patience);
        output.WriteLine($"[{error.Level}] {error.Message}");
        AgentSubscriptionFault fault = Assert.Single(server.SubscriptionFaults);
        Assert.Equal((Filter("enqueue"), ConsumerName(Filter("enqueue"))), (fault.Subject, fault.QueueGroup));
        Assert.Contains(right, fault.Reason, StringComparison.Ordinal);
        output.WriteLine($"fault: {fault.Subject}: {fault.Reason}");

        // Three ack waits later it has not come back to this server, and the error was said once.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Single(refused.Runs);
        Assert.Single(serverLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"refused '{right}'", StringComparison.Ordinal));

        // Not lost: a server with the rights takes it and, finding the completion record the refused server wrote after
        // its handler, acknowledges it without running it again. The refused server, stopped, lists no fault any more.
        Indexer managed = new("managed");
        AgentBus other = await ConnectAsync(Agent, "managed", new RecordingLogger());
        _cleanup.Add(await other.ServeAsync<IIndexer>(managed));
        await WaitUntilAsync(() => other.Statistics.DurableCompletionHits == 1);
        AgentBus admin = await ConnectAsync("admin", "admin", new RecordingLogger());
        DurableConsumerStatus enqueue = null!;
        await WaitUntilAsync(async () =>
        {
            enqueue = (await admin.DurableWork.GetStatusAsync()).Consumers.Single(c => c.FilterSubject == Filter("enqueue"));
            return enqueue is { Pending: 0, InFlight: 0 };
        });
        Assert.Empty(managed.Runs);
        await serving.DisposeAsync();
        Assert.Empty(server.SubscriptionFaults);
        Assert.All(Violations(), v => Assert.Contains($"Subject \"{right[..^1]}", v, StringComparison.Ordinal));
    }

    /// <summary>A server whose user may not pull (<c>$JS.API.CONSUMER.MSG.NEXT.&lt;stream&gt;.&lt;consumer&gt;</c>) says so for each durable topic, rather than waiting for work that never comes.</summary>
    [OwnNatsServerFact]
    public async Task A_server_refused_its_pulls_says_so_for_each_durable_topic()
    {
        RecordingLogger serverLog = new();
        AgentBus server = await ConnectAsync(Agent, "nopull", serverLog);
        _cleanup.Add(await server.ServeAsync<IIndexer>(new Indexer("nopull")));

        await WaitUntilAsync(() => server.SubscriptionFaults.Count == Topics.Length);
        Assert.Equal(Topics.Select(Filter).Order(StringComparer.Ordinal), server.SubscriptionFaults.Select(f => f.Subject).Order(StringComparer.Ordinal));
        foreach (string topic in Topics)
        {
            string right = $"$JS.API.CONSUMER.MSG.NEXT.{WorkStream}.{ConsumerName(Filter(topic))}";
            Assert.Single(serverLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"refused '{right}'", StringComparison.Ordinal));
        }

        output.WriteLine(serverLog.Entries.First(e => e.Level == LogLevel.Error).Message);
        Assert.All(Violations(), v => Assert.Contains($"Subject \"$JS.API.CONSUMER.MSG.NEXT.{WorkStream}.ana_", v, StringComparison.Ordinal));
    }

    /// <summary>A server refused a JetStream API request at start (here, the lookup of the completion bucket) fails <c>ServeAsync</c> naming the subject, once the client's wait for an answer ends.</summary>
    [OwnNatsServerFact]
    public async Task A_server_refused_a_JetStream_request_at_start_fails_naming_its_subject()
    {
        AgentBus server = await ConnectAsync(Agent, "norecords", new RecordingLogger());

        AnaPermissionException refused = await Assert.ThrowsAsync<AnaPermissionException>(async () => await server.ServeAsync<IIndexer>(new Indexer("norecords")));

        output.WriteLine(refused.Message);
        Assert.Equal(($"$JS.API.STREAM.INFO.KV_{Bucket}", AnaErrorCodes.PermissionDenied), (refused.Subject, refused.Code));
        Assert.Contains("Permissions Violation for Publish", refused.ServerError, StringComparison.Ordinal);
    }

    /// <summary>
    /// A durable call answered, a one-way message run once, a failing one parked after its three attempts, and their
    /// completion records written; the caller uses the durable path only, the server also answers a core call.
    /// </summary>
    private async Task RunWorkAsync(AgentBus server, Indexer indexer, string name, RecordingLogger callerLog)
    {
        AgentBus caller = await ConnectAsync("caller", "caller", callerLog);
        IIndexer client = caller.Client<IIndexer>();

        Assert.Equal(new IndexReport(1, 2, name), await client.IndexAsync(new Document(1, "two words")).WaitAsync(Patience));
        await client.EnqueueAsync(new Document(2, "one-way"));
        await client.FlakyAsync(new Document(3, "poison"));
        await WaitUntilAsync(() => indexer.Runs.Any(r => r.Id == 2) && server.Statistics.DurableParked == 1);
        Assert.Equal(3, indexer.Runs.Count(r => r.Id == 3));
        Assert.Equal(1, indexer.Runs.Count(r => r.Id == 2));

        // The server's core rights: a core call from an unrestricted agent.
        AgentBus admin = await ConnectAsync("admin", "admin", new RecordingLogger());
        Assert.Equal(5, await admin.Client<IIndexer>().CountAsync());

        await using NatsConnection nats = Admin();
        INatsKVStore records = await new NatsKVContext(new NatsJSContext(nats)).GetStoreAsync(Bucket);
        List<string> keys = [];
        await foreach (string key in records.GetKeysAsync())
        {
            keys.Add(key);
        }

        Assert.Equal(2, keys.Count);
        Assert.Contains(keys, k => k.StartsWith(ConsumerName(Filter("index")) + ".", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(ConsumerName(Filter("enqueue")) + ".", StringComparison.Ordinal));
    }

    private static async Task<List<ParkedMessage>> ListParkedAsync(AgentBus bus)
    {
        List<ParkedMessage> parked = [];
        await foreach (ParkedMessage message in bus.DurableWork.ListParkedAsync(Agent))
        {
            parked.Add(message);
        }

        return parked;
    }

    private async Task<AgentBus> ConnectAsync(string identity, string user, RecordingLogger log, bool manage = true)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions
        {
            Url = _server.Url,
            Prefix = Prefix,
            Username = user,
            Password = user + "-secret",
            LoggerFactory = new RecordingLoggerFactory(log),
            ConfigureNats = o => o with { InboxPrefix = "_INBOX_" + user },
            Durable = new DurableOptions { AckWait = TimeSpan.FromSeconds(2), Manage = manage },
        });
        _cleanup.Add(bus);
        return bus;
    }

    private NatsConnection Admin()
        => new(new NatsOpts { Url = _server.Url, AuthOpts = NatsAuthOpts.Default with { Username = "admin", Password = "admin-secret" } });

    /// <summary>The violations nats-server logged (<c>Publish Violation - User "…", Subject "…"</c>).</summary>
    private string[] Violations() => _server.Output.Split('\n').Where(l => l.Contains("Violation", StringComparison.Ordinal)).ToArray();

    private void AssertNoViolation(params RecordingLogger[] logs)
    {
        Assert.Empty(Violations());
        foreach (RecordingLogger log in logs)
        {
            Assert.DoesNotContain(log.Entries, e => e.Message.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("JetStream", StringComparison.Ordinal));
        }
    }

    private static string Filter(string topic) => $"{Prefix}.{Agent}.work.{topic}";

    private static string List(IEnumerable<string> subjects) => "[" + string.Join(", ", subjects.Select(s => "\"" + s + "\"")) + "]";

    /// <summary>The durable caller: the work subjects, its inbox (JetStream's acknowledgement), and the reply subjects of the agent it calls.</summary>
    private static string[] CallerPublish(string prefix) => [$"{prefix}.*.work.>"];

    private static string[] CallerSubscribe(string prefix) => ["_INBOX_caller.>", $"{prefix}.{Agent}.reply.>"];

    /// <summary>The agent's core rights (docs/nats-notes.md, "Permissions"), then those on its streams, consumers and completion records.</summary>
    private static IEnumerable<string> ServerPublish(string prefix, bool manage, bool ack)
    {
        string work = "ANA_WORK_" + prefix.Replace('.', '_');
        string parked = "ANA_PARKED_" + prefix.Replace('.', '_');
        string bucket = "ANA_DONE_" + prefix.Replace('.', '_');
        List<string> rights =
        [
            $"{prefix}.{Agent}.reply", $"{prefix}.{Agent}.reply.>", $"{prefix}.{Agent}.ack", $"{prefix}.{Agent}.ack.>",
            $"{prefix}.{Agent}.discovery", $"{prefix}.{Agent}.pulse", $"{prefix}.*.query", $"{prefix}.*.query.>", "$SRV.>",
            $"{prefix}.{Agent}.parked.>",
            $"$JS.API.STREAM.INFO.{work}", $"$JS.API.STREAM.INFO.{parked}", $"$JS.API.STREAM.INFO.KV_{bucket}", $"$JS.API.DIRECT.GET.KV_{bucket}",
        ];
        foreach (string topic in Topics)
        {
            string consumer = ConsumerName($"{prefix}.{Agent}.work.{topic}");
            rights.Add($"$JS.API.CONSUMER.INFO.{work}.{consumer}");
            rights.Add($"$JS.API.CONSUMER.MSG.NEXT.{work}.{consumer}");
            rights.Add($"$KV.{bucket}.{consumer}.>");
            if (ack)
            {
                rights.Add($"$JS.ACK.{work}.{consumer}.>");
            }

            if (manage)
            {
                rights.Add($"$JS.API.CONSUMER.CREATE.{work}.{consumer}.>");
            }
        }

        if (manage)
        {
            rights.AddRange([$"$JS.API.STREAM.CREATE.{work}", $"$JS.API.STREAM.CREATE.{parked}", $"$JS.API.STREAM.CREATE.KV_{bucket}"]);
        }

        return rights;
    }

    /// <summary>The agent's core rights; pulled messages and JetStream's answers come to its inbox.</summary>
    private static string[] ServerSubscribe(string prefix, string user)
        => [$"{prefix}.{Agent}.query", $"{prefix}.{Agent}.query.>", $"{prefix}.*.ack.{Agent}.>", $"_INBOX_{user}.>", "$SRV.*", $"$SRV.*.{Agent}", $"$SRV.*.{Agent}.*"];

    /// <summary>What <c>bus.DurableWork</c> reads and changes: the three streams' state, the work stream's consumers, the parked messages, and the work subjects for replays.</summary>
    private static string[] OperatorPublish(string prefix)
    {
        string work = "ANA_WORK_" + prefix.Replace('.', '_');
        string parked = "ANA_PARKED_" + prefix.Replace('.', '_');
        string bucket = "ANA_DONE_" + prefix.Replace('.', '_');
        return [$"$JS.API.STREAM.INFO.{work}", $"$JS.API.STREAM.INFO.{parked}", $"$JS.API.STREAM.INFO.KV_{bucket}", $"$JS.API.CONSUMER.LIST.{work}",
            $"$JS.API.STREAM.MSG.GET.{parked}", $"$JS.API.STREAM.MSG.DELETE.{parked}", $"{prefix}.*.work.>"];
    }

    /// <summary>The consumer's name by the rule of docs/durable.md: <c>ana_</c> and the SHA-256 of its filter subject in lower-case base32.</summary>
    private static string ConsumerName(string filter)
    {
        const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder name = new("ana_");
        int buffer = 0, bits = 0;
        foreach (byte b in SHA256.HashData(Encoding.UTF8.GetBytes(filter)))
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                name.Append(Base32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return bits > 0 ? name.Append(Base32[(buffer << (5 - bits)) & 31]).ToString() : name.ToString();
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using CancellationTokenSource bound = new(Patience);
        while (!await condition())
        {
            await Task.Delay(20, bound.Token);
        }
    }
}
