using System.Diagnostics;
using NATS.Client.Core;

namespace Ana.Telemetry;

/// <summary>
/// The telemetry of one query being handled: its span (current while the handler runs, so that the calls the handler
/// makes are its children) and, for a contract method, its duration and the calls in flight. <see langword="default"/>
/// when nobody listens.
/// </summary>
internal readonly struct InboundCall
{
    private readonly Activity? _activity;
    private readonly string? _method;
    private readonly long _started;

    private InboundCall(Activity? activity, string? method, long started)
    {
        _activity = activity;
        _method = method;
        _started = started;
    }

    /// <param name="methods">The served contract's method names; <see langword="null"/> for an untyped handler.</param>
    /// <param name="query">The query.</param>
    /// <param name="subject">The subject it arrived on.</param>
    /// <param name="replyTo">Its reply-to: a caller that waits (a one-way call has none).</param>
    /// <param name="headers">Its headers, which may hold the caller's trace context.</param>
    public static InboundCall Start(ServedMethods? methods, Query query, string subject, string? replyTo, NatsHeaders? headers)
    {
        string? method = methods?.MethodOf(subject);
        Activity? activity = Instrumentation.Source.HasListeners()
            ? CallSpans.StartInbound(method, query, subject, callerWaits: replyTo is not null, TraceHeaders.ParentOf(headers))
            : null;
        if (method is not null)
        {
            CallMetrics.ServerStarted(method);
        }

        return new InboundCall(activity, method, Stopwatch.GetTimestamp());
    }

    /// <summary>Ends the span and records the duration, with the call's outcome (<see cref="InboundContext.OutcomeOf"/>).</summary>
    public void End(string? errorType)
    {
        if (_activity is null && _method is null)
        {
            return;
        }

        if (errorType is not null)
        {
            CallSpans.Fail(_activity, errorType);
        }

        if (_method is not null)
        {
            CallMetrics.ServerEnded(_method, _started, errorType);
        }

        _activity?.Dispose();
    }
}
