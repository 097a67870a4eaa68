using Ana.Durable;
using Ana.Testing.Logging;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Tests.Durable;

/// <summary>
/// The durable consumer of an (agent, topic) on a real JetStream (issue 16): its derived name, its settings, one consumer
/// however many servers start at once, and an existing one checked, never recreated and never given another filter.
/// </summary>
public sealed class WorkConsumerTests : IAsyncLifetime
{
    private readonly string _prefix = "cons.t" + Guid.NewGuid().ToString("N")[..8];
    private JetStreamServer _server = null!;
    private NatsConnection _nats = null!;
    private NatsJSContext _js = null!;

    private string Stream => DurableNames.WorkStream(_prefix);

    public async Task InitializeAsync()
    {
        _server = await JetStreamServer.StartAsync();
        _nats = new NatsConnection(new NatsOpts { Url = _server.Url });
        _js = new NatsJSContext(_nats);
    }

    public async Task DisposeAsync()
    {
        await _nats.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public void Names_are_single_tokens_that_no_two_subjects_share()
    {
        string[] subjects = ["cc.fleet.indexer.work.index", "cc.fleet.indexer.work.index_", "cc.fleet.index.work.er.index", "cc.fleet.a/b.work.c_d", "cc.fleet.café.work.x"];
        string[] names = [.. subjects.Select(WorkConsumer.Name)];
        Assert.Equal(subjects.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, name => Assert.Matches("^ana_[a-z2-7]{52}$", name));
        Assert.Equal(WorkConsumer.Name(subjects[0]), WorkConsumer.Name(subjects[0]));
    }

    [OwnNatsServerFact]
    public async Task Three_servers_starting_at_once_make_one_consumer_with_the_SDKs_settings()
    {
        await WorkStream.EnsureAsync(_js, _prefix, new DurableOptions(), CancellationToken.None);
        string filter = $"{_prefix}.indexer.work.index";
        DurableOptions options = new() { AckWait = TimeSpan.FromSeconds(2), MaxAckPending = 64 };

        string[] names = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            WorkConsumer.EnsureAsync(_js, Stream, filter, options, new RecordingLogger(), CancellationToken.None).AsTask()));

        Assert.Single(names.Distinct());
        List<string> consumers = [];
        await foreach (INatsJSConsumer consumer in _js.ListConsumersAsync(Stream))
        {
            consumers.Add(consumer.Info.Name);
        }

        Assert.Equal(names[0], Assert.Single(consumers));
        ConsumerConfig config = (await _js.GetConsumerAsync(Stream, names[0])).Info.Config;
        Assert.Equal((filter, filter, ConsumerConfigAckPolicy.Explicit, TimeSpan.FromSeconds(2), -1L, 64L), (config.FilterSubject, config.Description, config.AckPolicy, config.AckWait, config.MaxDeliver, config.MaxAckPending));
        Assert.Equal(names[0], config.DurableName);
    }

    [OwnNatsServerFact]
    public async Task A_consumer_of_another_filter_under_the_derived_name_is_refused_and_left_alone()
    {
        await WorkStream.EnsureAsync(_js, _prefix, new DurableOptions(), CancellationToken.None);
        string filter = $"{_prefix}.indexer.work.index";
        string name = WorkConsumer.Name(filter);
        await _js.CreateOrUpdateConsumerAsync(Stream, new ConsumerConfig(name) { DurableName = name, FilterSubject = $"{_prefix}.other.work.index", AckPolicy = ConsumerConfigAckPolicy.Explicit });

        AnaException refused = await Assert.ThrowsAsync<AnaException>(async () =>
            await WorkConsumer.EnsureAsync(_js, Stream, filter, new DurableOptions { UpdateServerConfig = true }, new RecordingLogger(), CancellationToken.None));

        Assert.Contains($"filters '{_prefix}.other.work.index', not '{filter}'", refused.Message, StringComparison.Ordinal);
        Assert.Equal($"{_prefix}.other.work.index", (await _js.GetConsumerAsync(Stream, name)).Info.Config.FilterSubject);
    }

    [OwnNatsServerFact]
    public async Task Other_settings_are_used_with_a_warning_or_updated_when_asked_and_a_missing_consumer_is_not_created_unmanaged()
    {
        await WorkStream.EnsureAsync(_js, _prefix, new DurableOptions(), CancellationToken.None);
        string filter = $"{_prefix}.indexer.work.index";
        AnaException missing = await Assert.ThrowsAsync<AnaException>(async () =>
            await WorkConsumer.EnsureAsync(_js, Stream, filter, new DurableOptions { Manage = false }, new RecordingLogger(), CancellationToken.None));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        string name = await WorkConsumer.EnsureAsync(_js, Stream, filter, new DurableOptions(), new RecordingLogger(), CancellationToken.None);
        RecordingLogger warned = new();
        await WorkConsumer.EnsureAsync(_js, Stream, filter, new DurableOptions { AckWait = TimeSpan.FromSeconds(5) }, warned, CancellationToken.None);
        Assert.Contains(warned.Entries, e => e.Message.Contains("ack_wait: 00:00:30 (00:00:05)", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(30), (await _js.GetConsumerAsync(Stream, name)).Info.Config.AckWait);

        await WorkConsumer.EnsureAsync(_js, Stream, filter, new DurableOptions { AckWait = TimeSpan.FromSeconds(5), UpdateServerConfig = true }, new RecordingLogger(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(5), (await _js.GetConsumerAsync(Stream, name)).Info.Config.AckWait);
    }
}
