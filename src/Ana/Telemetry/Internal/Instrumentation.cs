using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Ana.Telemetry;

/// <summary>
/// The process's one <see cref="ActivitySource"/> and <see cref="Meter"/> and their instruments. Every instrument is
/// created once; recording to one that nobody listens to costs a flag check.
/// </summary>
internal static class Instrumentation
{
    /// <summary>The explicit bucket boundaries, in seconds, that the RPC conventions give call durations.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private static readonly string? Version = typeof(Instrumentation).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource Source = new(AnaTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(AnaTelemetry.MeterName, Version);

    public static readonly Histogram<double> ClientDuration = Meter.CreateHistogram(
        "rpc.client.call.duration",
        unit: "s",
        description: "How long a call took, as its caller measured it: from sending the query to the reply, an error or giving up.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Histogram<double> ServerDuration = Meter.CreateHistogram(
        "rpc.server.call.duration",
        unit: "s",
        description: "How long a served call took, from its handler's start to its reply.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly UpDownCounter<long> ClientActive = Meter.CreateUpDownCounter<long>(
        "ana.client.calls.active", unit: "{call}", description: "Calls sent and still waiting for their reply.");

    public static readonly UpDownCounter<long> ServerActive = Meter.CreateUpDownCounter<long>(
        "ana.server.calls.active", unit: "{call}", description: "Queries whose handler is running.");

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "ana.envelopes.published", unit: "{envelope}", description: "Envelopes published.");

    public static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "ana.envelopes.received", unit: "{envelope}", description: "Envelopes received and parsed.");

    public static readonly Counter<long> Malformed = Meter.CreateCounter<long>(
        "ana.envelopes.malformed", unit: "{message}", description: "Messages dropped because they were not valid envelopes.");

    public static readonly Counter<long> UnmatchedReplies = Meter.CreateCounter<long>(
        "ana.replies.unmatched", unit: "{reply}", description: "Replies dropped because no call waited for them: unknown (forged), late or duplicate request ids.");

    public static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>(
        "ana.handler.failures", unit: "{failure}", description: "Handlers that threw.");

    public static readonly Counter<long> UnanswerableQueries = Meter.CreateCounter<long>(
        "ana.queries.unanswerable", unit: "{query}", description: "Queries dropped because no answer could be addressed (invalid or over-long reply subjects).");

    public static readonly Counter<long> OverloadedQueries = Meter.CreateCounter<long>(
        "ana.queries.overloaded", unit: "{query}", description: "Queries refused 'overloaded' at once because every handler slot was taken and the queue was full.");

    public static readonly Counter<long> ExpiredQueries = Meter.CreateCounter<long>(
        "ana.queries.expired", unit: "{query}", description: "Queries dropped without running because their deadline passed before a handler could start them.");

    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "ana.messages.dropped", unit: "{message}", description: "Messages the NATS client dropped because a subscription's buffer was full (a slow consumer).");

    public static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "ana.queries.refused", unit: "{query}", description: "Queries answered 'unavailable' without running because the agent was stopping.");

    /// <summary>Whether a call is worth measuring: somebody listens to its spans or its durations.</summary>
    public static bool IsObserved => Source.HasListeners() || ClientDuration.Enabled || ServerDuration.Enabled;
}
