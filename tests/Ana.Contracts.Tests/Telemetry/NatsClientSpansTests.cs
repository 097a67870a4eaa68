using System.Diagnostics;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Ana.Contracts.Tests.Telemetry;

/// <summary>
/// With NATS.Net's own source listened to as well, the NATS client starts a publish span inside Ana's CLIENT span and
/// writes its own <c>traceparent</c> into the query's headers: the SERVER span's parent is then NATS's publish span,
/// in the same trace, with Ana's CLIENT span as an ancestor.
/// </summary>
[Collection(TelemetryCollection.Name)]
[RequiresNats]
public sealed class NatsClientSpansTests(NatsServerFixture nats) : IAsyncLifetime
{
    private const string NatsSource = "NATS.Net";
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _prefix = $"otel.{Guid.NewGuid():N}";
    private readonly ExportedSpans _spans = new();
    private TracerProvider? _tracing;

    public Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(AnaTelemetry.ActivitySourceName, NatsSource)
            .AddInMemoryExporter(_spans)
            .Build();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        _tracing?.Dispose();
    }

    [SuiteFact]
    public async Task The_server_span_joins_the_trace_under_the_nats_publish_span()
    {
        AgentBus server = await ConnectAsync("front-1");
        _cleanup.Add(await server.ServeAsync<ITracedFront>(new TracedFront(server.Client<ITracedBack>()), new ServeOptions { Announce = false }));
        ITracedFront front = (await ConnectAsync("caller")).Client<ITracedFront>();

        Assert.Equal("hi", await front.EchoAsync("hi"));

        Activity[] ana = await _spans.WaitForAsync(Ours, 2);
        Activity client = Assert.Single(ana, s => s.Kind == ActivityKind.Client);
        Activity serverSpan = Assert.Single(ana, s => s.Kind == ActivityKind.Server);
        Assert.Equal(client.TraceId, serverSpan.TraceId);
        Assert.NotEqual(client.SpanId, serverSpan.ParentSpanId);

        // Walk up from the server span through the spans of this trace: NATS's publish span, then Ana's CLIENT span.
        Dictionary<ActivitySpanId, Activity> trace = _spans.Snapshot().Where(s => s.TraceId == client.TraceId).ToDictionary(s => s.SpanId);
        Activity parent = trace[serverSpan.ParentSpanId];
        Assert.Equal(NatsSource, parent.Source.Name);
        Assert.Equal(ActivityKind.Producer, parent.Kind);
        ActivitySpanId up = parent.ParentSpanId;
        while (up != client.SpanId && trace.TryGetValue(up, out Activity? next))
        {
            up = next.ParentSpanId;
        }

        Assert.Equal(client.SpanId, up);
    }

    private bool Ours(Activity span)
        => span.Source.Name == AnaTelemetry.ActivitySourceName
            && span.GetTagItem("messaging.destination.name") is string subject
            && subject.StartsWith(_prefix + ".", StringComparison.Ordinal);

    private async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = nats.Url, Prefix = _prefix, DefaultTimeout = TimeSpan.FromSeconds(30) });
        _cleanup.Add(bus);
        return bus;
    }
}
