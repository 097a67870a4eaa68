namespace Ana;

/// <summary>
/// The names under which Ana.Contracts reports traces and metrics, through <see cref="System.Diagnostics.ActivitySource"/>
/// and <see cref="System.Diagnostics.Metrics.Meter"/> alone (no OpenTelemetry dependency). With OpenTelemetry:
/// <c>tracing.AddSource(AnaTelemetry.ActivitySourceName)</c> and <c>metrics.AddMeter(AnaTelemetry.MeterName)</c>; add
/// NATS.Net's own <c>"NATS.Net"</c> source and meter to see the client's publishes too. The spans, their attributes and
/// the instruments are listed in docs/observability.md.
/// </summary>
public static class AnaTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of calls: <c>Ana.Contracts</c>.</summary>
    public const string ActivitySourceName = "Ana.Contracts";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of calls and of the bus's counters: <c>Ana.Contracts</c>.</summary>
    public const string MeterName = "Ana.Contracts";
}
