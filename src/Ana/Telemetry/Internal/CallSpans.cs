using System.Diagnostics;

namespace Ana.Telemetry;

/// <summary>
/// The spans of calls, named and tagged by the OpenTelemetry RPC conventions (<c>rpc.system.name</c>,
/// <c>rpc.method</c> = <c>{contract}/{topic}</c>, span name = <c>rpc.method</c>, <c>error.type</c>) for typed calls, and
/// by the messaging conventions (<c>send</c>/<c>process {subject}</c>) for untyped queries and one-way calls; both with
/// <c>messaging.system=nats</c> and the destination subject.
/// </summary>
internal static class CallSpans
{
    public const string RpcSystem = "ana";

    /// <summary>
    /// A CLIENT span for a typed call that waits for its reply, or a PRODUCER span for a one-way one; <see langword="null"/>
    /// when nobody listens.
    /// </summary>
    public static Activity? StartTyped(string method, string subject, string agent, bool oneWay)
    {
        Activity? activity = Instrumentation.Source.StartActivity(method, oneWay ? ActivityKind.Producer : ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system.name", RpcSystem);
            activity.SetTag("rpc.method", method);
            TagDestination(activity, subject, oneWay ? "send" : null);
            activity.SetTag("ana.agent", agent);
        }

        return activity;
    }

    /// <summary>A PRODUCER span for an untyped query; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartUntyped(string subject, string agent)
    {
        Activity? activity = Instrumentation.Source.StartActivity(string.Concat("send ", subject), ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            TagDestination(activity, subject, "send");
            activity.SetTag("ana.agent", agent);
        }

        return activity;
    }

    /// <summary>
    /// The span of a query being handled, child of the caller's <paramref name="parent"/> (<see langword="default"/>:
    /// a new trace): SERVER for a contract method whose caller waits, CONSUMER for a one-way call or an untyped handler.
    /// It carries the call context: the caller (<c>from</c>) and the request id.
    /// </summary>
    public static Activity? StartInbound(string? method, Query query, string subject, bool callerWaits, ActivityContext parent)
    {
        ActivityKind kind = method is not null && callerWaits ? ActivityKind.Server : ActivityKind.Consumer;
        Activity? activity = Instrumentation.Source.StartActivity(kind, parent, name: method ?? string.Concat("process ", subject));
        if (activity is { IsAllDataRequested: true })
        {
            if (method is not null)
            {
                activity.SetTag("rpc.system.name", RpcSystem);
                activity.SetTag("rpc.method", method);
            }

            TagDestination(activity, subject, kind == ActivityKind.Consumer ? "process" : null);
            activity.SetTag("ana.call.from", query.From);
            if (query.RequestId is { } requestId)
            {
                activity.SetTag("ana.call.request_id", requestId);
            }
        }

        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorType"/> (an Ana error code, or an exception's type).</summary>
    public static void Fail(Activity? activity, string errorType)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", errorType);
        activity.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>
    /// What <c>error.type</c> says about <paramref name="exception"/>: the error code of an <see cref="AnaException"/>
    /// (the remote agent's, for an <see cref="AnaRemoteException"/>), <see cref="AnaErrorCodes.Timeout"/>,
    /// <see cref="AnaErrorCodes.Cancelled"/>, or the exception's type name.
    /// </summary>
    public static string ErrorTypeOf(Exception exception) => exception switch
    {
        AnaException ana => ana.Code,
        AnaTimeoutException => AnaErrorCodes.Timeout,
        OperationCanceledException => AnaErrorCodes.Cancelled,
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    private static void TagDestination(Activity activity, string subject, string? operation)
    {
        activity.SetTag("messaging.system", "nats");
        if (operation is not null)
        {
            activity.SetTag("messaging.operation.name", operation);
        }

        activity.SetTag("messaging.destination.name", subject);
    }
}
