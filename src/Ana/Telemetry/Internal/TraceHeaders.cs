using System.Diagnostics;
using Microsoft.Extensions.Primitives;
using NATS.Client.Core;

namespace Ana.Telemetry;

/// <summary>
/// The trace context in NATS headers (W3C <c>traceparent</c> and <c>tracestate</c>, through
/// <see cref="DistributedContextPropagator.Current"/>), the way NATS.Net and Python's NATS instrumentation carry it.
/// The envelope's JSON never changes.
/// </summary>
/// <remarks>
/// Each publish gets headers of its own: when NATS.Net's own source is listened to, the client starts a publish span and
/// overwrites <c>traceparent</c> in the headers it is given, so headers shared between publishes would carry the wrong
/// parent (or race).
/// </remarks>
internal static class TraceHeaders
{
    /// <summary>New headers with <paramref name="activity"/>'s context, or <see langword="null"/> when there is none to send.</summary>
    public static NatsHeaders? For(Activity? activity)
    {
        if (activity is null)
        {
            return null;
        }

        NatsHeaders headers = new();
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            if (value is not null)
            {
                ((NatsHeaders)carrier!)[name] = value;
            }
        });
        return headers.Count == 0 ? null : headers;
    }

    /// <summary>
    /// The caller's span context from a query's headers; <see langword="default"/> (a new trace) when the peer sent none
    /// or an unreadable one.
    /// </summary>
    public static ActivityContext ParentOf(NatsHeaders? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, Read, out string? traceParent, out string? traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext context) ? context : default;
    }

    private static void Read(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = carrier is NatsHeaders headers && headers.TryGetValue(name, out StringValues found) ? found.ToString() : null;
    }
}
