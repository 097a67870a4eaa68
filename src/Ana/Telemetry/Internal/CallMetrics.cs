using System.Diagnostics;

namespace Ana.Telemetry;

/// <summary>Records call durations and calls in flight, tagged as the RPC conventions tag them.</summary>
internal static class CallMetrics
{
    public static void ClientStarted(string method) => Instrumentation.ClientActive.Add(1, Method(method));

    public static void ClientEnded(string method, long startTimestamp, string? errorType)
    {
        Instrumentation.ClientActive.Add(-1, Method(method));
        if (Instrumentation.ClientDuration.Enabled)
        {
            Instrumentation.ClientDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, Outcome(method, errorType));
        }
    }

    public static void ServerStarted(string method) => Instrumentation.ServerActive.Add(1, Method(method));

    public static void ServerEnded(string method, long startTimestamp, string? errorType)
    {
        Instrumentation.ServerActive.Add(-1, Method(method));
        if (Instrumentation.ServerDuration.Enabled)
        {
            Instrumentation.ServerDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, Outcome(method, errorType));
        }
    }

    private static TagList Method(string method) => new()
    {
        { "rpc.system.name", CallSpans.RpcSystem },
        { "rpc.method", method },
    };

    private static TagList Outcome(string method, string? errorType)
    {
        TagList tags = Method(method);
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        return tags;
    }
}
