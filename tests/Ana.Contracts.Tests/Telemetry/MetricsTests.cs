using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Ana.Contracts.Tests.Telemetry;

/// <summary>
/// The instruments of docs/observability.md as OpenTelemetry's in-memory exporter reads them: call durations on both
/// sides with the RPC conventions' tags and bucket boundaries, and the bus's counters.
/// </summary>
public abstract class MetricsTests : IAsyncLifetime
{
    private const string Front = "Ana.Contracts.Tests.Telemetry.ITracedFront";
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly List<MetricSnapshot> _exported = [];
    private readonly string _prefix = $"otel.{Guid.NewGuid():N}";
    private readonly string _caller = $"caller-{Guid.NewGuid():N}";
    private MeterProvider? _metrics;

    protected abstract string Url { get; }

    public Task InitializeAsync()
    {
        _metrics = Sdk.CreateMeterProviderBuilder()
            .AddMeter(AnaTelemetry.MeterName)
            .AddInMemoryExporter(_exported)
            .Build();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        _metrics?.Dispose();
    }

    [SuiteFact]
    public async Task Call_durations_are_recorded_on_both_sides_with_the_error_code_of_failed_calls()
    {
        AgentBus server = await ConnectAsync("front-1");
        _cleanup.Add(await server.ServeAsync<ITracedFront>(new TracedFront(server.Client<ITracedBack>()), new ServeOptions { Announce = false }));
        ITracedFront front = (await ConnectAsync(_caller)).Client<ITracedFront>();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("x", await front.EchoAsync("x"));
        }

        await Assert.ThrowsAsync<AnaRemoteException>(front.RefuseAsync);

        // The server records a call once its reply is sent, which may be just after the caller has it.
        await WaitUntilAsync(() => Count("rpc.server.call.duration", $"{Front}/refuse", "forbidden") == 1);
        foreach (string side in new[] { "rpc.client.call.duration", "rpc.server.call.duration" })
        {
            Assert.Equal(3, Count(side, $"{Front}/echo", errorType: null));
            Assert.Equal(1, Count(side, $"{Front}/refuse", "forbidden"));
            MetricSnapshot metric = Latest(side);
            Assert.Equal("s", metric.Unit);
            List<double> bounds = [];
            foreach (HistogramBucket bucket in Points(side).First().GetHistogramBuckets())
            {
                if (double.IsFinite(bucket.ExplicitBound))
                {
                    bounds.Add(bucket.ExplicitBound);
                }
            }

            Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], bounds);
        }

        Assert.True(Sum("ana.envelopes.published", _caller) >= 4, "the caller's four queries are counted as published");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 750 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    private long Count(string metric, string method, string? errorType)
        => Points(metric)
            .Where(p => Tag(p, "rpc.method") == method && Tag(p, "error.type") == errorType && Tag(p, "rpc.system.name") == "ana")
            .Sum(p => p.GetHistogramCount());

    private long Sum(string metric, string identity)
        => Points(metric).Where(p => Tag(p, "ana.identity") == identity).Sum(p => p.GetSumLong());

    private MetricSnapshot Latest(string metric)
    {
        _metrics!.ForceFlush();
        lock (_exported)
        {
            return _exported.Last(m => m.Name == metric);
        }
    }

    private List<MetricPoint> Points(string metric)
    {
        _metrics!.ForceFlush();
        lock (_exported)
        {
            // Cumulative temporality: the last export of an instrument holds everything recorded so far.
            MetricSnapshot? latest = _exported.LastOrDefault(m => m.Name == metric);
            return latest is null ? [] : [.. latest.MetricPoints];
        }
    }

    private static string? Tag(MetricPoint point, string name)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = _prefix, DefaultTimeout = TimeSpan.FromSeconds(30) });
        _cleanup.Add(bus);
        return bus;
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class MemoryMetricsTests : MetricsTests
{
    protected override string Url { get; } = $"memory://otel-{Guid.NewGuid():N}";
}

[Collection(TelemetryCollection.Name)]
[RequiresNats]
public sealed class NatsMetricsTests(NatsServerFixture nats) : MetricsTests
{
    protected override string Url => nats.Url;
}
