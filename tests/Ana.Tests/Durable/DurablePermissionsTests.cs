using Ana.Durable;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Ana.Tests.Durable;

/// <summary>
/// The caller's part of the durable permission block (docs/nats-notes.md) on nats-server 2.9.10 with JetStream: a caller
/// that may publish on the work subjects and read its own inbox stores durable messages with no JetStream API right; one
/// that may not is told so, naming the subject, rather than "not stored".
/// </summary>
public sealed class DurablePermissionsTests : IAsyncLifetime
{
    private const string Prefix = "dur.perm";
    private readonly string _directory = Directory.CreateTempSubdirectory("ana-js-perm-").FullName;
    private NatsServer _server = null!;

    public async Task InitializeAsync()
    {
        string store = Path.Combine(_directory, "store").Replace('\\', '/');
        _server = await NatsServer.StartWithConfigAsync(
            $$"""
            jetstream { store_dir: "{{store}}" }
            authorization {
              users = [
                { user: caller, password: "caller-secret", permissions: {
                    publish: { allow: ["{{Prefix}}.*.work.>"] }
                    subscribe: { allow: ["_INBOX_caller.>"] }
                } }
                { user: stranger, password: "stranger-secret", permissions: {
                    publish: { allow: ["{{Prefix}}.*.query.>"] }
                    subscribe: { allow: ["_INBOX_stranger.>"] }
                } }
                { user: operator, password: "operator-secret" }
              ]
            }
            """,
            _directory);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [OwnNatsServerFact]
    public async Task A_caller_with_the_work_subjects_and_its_inbox_stores_and_one_without_is_refused_by_name()
    {
        await using (AgentBus operatorBus = await ConnectAsync("operator"))
        {
            await WorkStream.EnsureAsync(operatorBus.Durable().JetStream, Prefix, new DurableOptions(), CancellationToken.None);
        }

        await using AgentBus caller = await ConnectAsync("caller");
        DurableReceipt stored = await caller.EnqueueDurableAsync("indexer", "enqueue", idempotencyKey: "k1");
        Assert.Equal((DurableNames.WorkStream(Prefix), false), (stored.Stream, stored.Duplicate));

        await using AgentBus stranger = await ConnectAsync("stranger", publishTimeout: TimeSpan.FromSeconds(2));
        AnaPermissionException refused = await Assert.ThrowsAsync<AnaPermissionException>(async () => await stranger.EnqueueDurableAsync("indexer", "enqueue"));
        Assert.Equal($"{Prefix}.indexer.work.enqueue", refused.Subject);
        Assert.Equal(AnaErrorCodes.PermissionDenied, refused.Code);
        Assert.Contains("Permissions Violation for Publish", refused.ServerError, StringComparison.OrdinalIgnoreCase);

        await using NatsConnection nats = new(new NatsOpts { Url = _server.Url, AuthOpts = NatsAuthOpts.Default with { Username = "operator", Password = "operator-secret" } });
        Assert.Equal(1, (await new NatsJSContext(nats).GetStreamAsync(DurableNames.WorkStream(Prefix))).Info.State.Messages);
    }

    private Task<AgentBus> ConnectAsync(string user, TimeSpan? publishTimeout = null)
        => AgentBus.ConnectAsync(user, new AgentBusOptions
        {
            Url = _server.Url,
            Prefix = Prefix,
            Username = user,
            Password = user + "-secret",
            ConfigureNats = o => o with { InboxPrefix = "_INBOX_" + user },
            Durable = new DurableOptions { PublishTimeout = publishTimeout ?? TimeSpan.FromSeconds(10) },
        }).AsTask();
}
