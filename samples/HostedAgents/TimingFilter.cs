using System.Diagnostics;
using Ana;
using Ana.Contracts;

namespace HostedAgents;

/// <summary>A server filter: runs around every call the host serves and prints how long it took and how it ended.</summary>
internal sealed class TimingFilter : IAnaServerFilter
{
    public async ValueTask InvokeAsync(AnaCallContext context, AnaServerCallNext continuation)
    {
        long started = Stopwatch.GetTimestamp();
        string outcome = "ok";
        try
        {
            await continuation();
        }
        catch (AnaException exception)
        {
            outcome = exception.Code;
            throw;
        }
        finally
        {
            Console.WriteLine($"served {context.Agent}/{context.Topic} for {context.From} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms: {outcome}");
        }
    }
}
