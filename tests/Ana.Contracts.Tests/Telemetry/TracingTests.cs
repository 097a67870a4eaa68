using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Ana.Contracts.Tests.Telemetry;

/// <summary>
/// The spans of docs/observability.md as OpenTelemetry's in-memory exporter receives them, with only the
/// <c>Ana.Contracts</c> source listened to: a typed call is a CLIENT span and its SERVER child in one trace, whose
/// context travelled in the query's headers.
/// </summary>
public abstract class TracingTests : IAsyncLifetime
{
    private const string Front = "Ana.Contracts.Tests.Telemetry.ITracedFront";
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _prefix = $"otel.{Guid.NewGuid():N}";
    private TracerProvider? _tracing;

    protected abstract string Url { get; }

    private protected ExportedSpans Spans { get; } = new();

    public Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(AnaTelemetry.ActivitySourceName)
            .AddInMemoryExporter(Spans)
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
    public async Task A_typed_call_is_a_client_span_whose_child_is_the_server_span()
    {
        (ITracedFront front, _) = await ServeAsync();

        Assert.Equal("hi", await front.EchoAsync("hi"));

        Activity[] spans = await Spans.WaitForAsync(Ours, 2);
        Assert.Equal(2, spans.Length);
        Activity client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Activity server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);

        Assert.Equal($"{Front}/echo", client.DisplayName);
        Assert.Equal($"{Front}/echo", server.DisplayName);
        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        foreach (Activity span in spans)
        {
            Assert.Equal("ana", span.GetTagItem("rpc.system.name"));
            Assert.Equal($"{Front}/echo", span.GetTagItem("rpc.method"));
            Assert.Equal("nats", span.GetTagItem("messaging.system"));
            Assert.Equal($"{_prefix}.otel-front.query.echo", span.GetTagItem("messaging.destination.name"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Null(span.GetTagItem("error.type"));
        }

        Assert.Equal("otel-front", client.GetTagItem("ana.agent"));
        Assert.Equal("caller", server.GetTagItem("ana.call.from"));
        Assert.False(string.IsNullOrEmpty(Assert.IsType<string>(server.GetTagItem("ana.call.request_id"))));
    }

    [SuiteFact]
    public async Task A_stream_is_one_client_span_over_the_whole_enumeration_whose_child_is_the_server_span()
    {
        (ITracedFront front, _) = await ServeAsync();

        int items = 0;
        await foreach (int _ in front.CountAsync(20))
        {
            items++;
        }

        Activity[] spans = await Spans.WaitForAsync(Ours, 2);
        Activity client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Activity server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(20, items);
        Assert.Equal($"{Front}/count", client.DisplayName);
        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, client.Status);
    }

    [SuiteFact]
    public async Task An_error_reply_marks_both_spans_with_its_code()
    {
        (ITracedFront front, _) = await ServeAsync();

        AnaRemoteException refused = await Assert.ThrowsAsync<AnaRemoteException>(front.RefuseAsync);
        Assert.Equal("forbidden", refused.Code);

        Activity[] spans = await Spans.WaitForAsync(Ours, 2);
        Assert.Equal(2, spans.Length);
        foreach (Activity span in spans)
        {
            Assert.Equal("forbidden", span.GetTagItem("error.type"));
            Assert.Equal(ActivityStatusCode.Error, span.Status);
        }
    }

    [SuiteFact]
    public async Task The_trace_survives_a_hop_through_a_second_agent()
    {
        (ITracedFront front, _) = await ServeAsync();

        Assert.Equal("back:x", await front.RelayAsync("x"));

        Activity[] spans = await Spans.WaitForAsync(Ours, 4);
        Assert.Equal(4, spans.Length);
        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        Activity caller = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.DisplayName == $"{Front}/relay");
        Activity front1 = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == $"{Front}/relay");
        Activity hop = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.DisplayName.EndsWith("ITracedBack/echo", StringComparison.Ordinal));
        Activity back = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.EndsWith("ITracedBack/echo", StringComparison.Ordinal));
        Assert.Equal(caller.SpanId, front1.ParentSpanId);
        Assert.Equal(front1.SpanId, hop.ParentSpanId);
        Assert.Equal(hop.SpanId, back.ParentSpanId);
        Assert.Equal("front-1", back.GetTagItem("ana.call.from"));
    }

    [SuiteFact]
    public async Task A_one_way_call_is_a_producer_span_and_a_consumer_child()
    {
        (ITracedFront front, TracedFront implementation) = await ServeAsync();

        await front.NoteAsync("n");
        Assert.Equal("n", await implementation.Noted.WaitAsync(TimeSpan.FromSeconds(30)));

        Activity[] spans = await Spans.WaitForAsync(Ours, 2);
        Activity producer = Assert.Single(spans, s => s.Kind == ActivityKind.Producer);
        Activity consumer = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal($"{Front}/note", producer.DisplayName);
        Assert.Equal($"{Front}/note", consumer.DisplayName);
        Assert.Equal(producer.SpanId, consumer.ParentSpanId);
        Assert.Equal("send", producer.GetTagItem("messaging.operation.name"));
        Assert.Equal("process", consumer.GetTagItem("messaging.operation.name"));
    }

    [SuiteFact]
    public async Task An_untyped_query_is_a_producer_span_and_its_handler_a_consumer_child()
    {
        AgentBus server = await ConnectAsync("plain");
        _cleanup.Add(await server.SubscribeToMeAsync((envelope, context) => context.ReplyAsync(JsonDocument.Parse("1").RootElement)));
        AgentBus caller = await ConnectAsync("caller");

        Reply? reply = await caller.QueryAndWaitAsync("plain", "how many?", "count");
        Assert.NotNull(reply);

        string subject = $"{_prefix}.plain.query.count";
        Activity[] spans = await Spans.WaitForAsync(Ours, 2);
        Assert.Equal(2, spans.Length);
        Activity producer = Assert.Single(spans, s => s.Kind == ActivityKind.Producer);
        Activity consumer = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal($"send {subject}", producer.DisplayName);
        Assert.Equal($"process {subject}", consumer.DisplayName);
        Assert.Equal(producer.SpanId, consumer.ParentSpanId);
        Assert.Null(consumer.GetTagItem("rpc.method"));
        Assert.Equal("caller", consumer.GetTagItem("ana.call.from"));
    }

    [SuiteFact]
    public async Task A_query_without_trace_headers_starts_a_new_trace()
    {
        (_, TracedFront implementation) = await ServeAsync();
        AgentBus peer = await ConnectAsync("peer");
        Assert.Null(Activity.Current);

        // What a peer without tracing sends: the envelope alone (a publish made outside any span carries no headers).
        Query query = new() { From = "peer", To = "otel-front", Text = "note", Ts = DateTimeOffset.UtcNow, Data = JsonDocument.Parse("""{"text":"plain"}""").RootElement };
        await peer.PublishAsync($"{_prefix}.otel-front.query.note", query);
        Assert.Equal("plain", await implementation.Noted.WaitAsync(TimeSpan.FromSeconds(30)));

        Activity consumer = Assert.Single(await Spans.WaitForAsync(Ours, 1));
        Assert.Equal(ActivityKind.Consumer, consumer.Kind);
        Assert.Equal(default, consumer.ParentSpanId);
        Assert.Equal("peer", consumer.GetTagItem("ana.call.from"));
    }

    private protected bool Ours(Activity span)
        => span.Source.Name == AnaTelemetry.ActivitySourceName
            && span.GetTagItem("messaging.destination.name") is string subject
            && subject.StartsWith(_prefix + ".", StringComparison.Ordinal);

    private protected async Task<(ITracedFront Front, TracedFront Implementation)> ServeAsync()
    {
        AgentBus backServer = await ConnectAsync("back-1");
        _cleanup.Add(await backServer.ServeAsync<ITracedBack>(new TracedBack()));
        AgentBus frontServer = await ConnectAsync("front-1");
        TracedFront implementation = new(frontServer.Client<ITracedBack>());
        _cleanup.Add(await frontServer.ServeAsync<ITracedFront>(implementation, new ServeOptions { Announce = false }));
        AgentBus caller = await ConnectAsync("caller");
        return (caller.Client<ITracedFront>(), implementation);
    }

    private protected async Task<AgentBus> ConnectAsync(string identity)
    {
        AgentBus bus = await AgentBus.ConnectAsync(identity, new AgentBusOptions { Url = Url, Prefix = _prefix, DefaultTimeout = TimeSpan.FromSeconds(30) });
        _cleanup.Add(bus);
        return bus;
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class MemoryTracingTests : TracingTests
{
    protected override string Url { get; } = $"memory://otel-{Guid.NewGuid():N}";
}

[Collection(TelemetryCollection.Name)]
[RequiresNats]
public sealed class NatsTracingTests(NatsServerFixture nats) : TracingTests
{
    protected override string Url => nats.Url;
}
