using System.Text;
using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

internal static class MemoryTestKit
{
    /// <summary>A broker name of its own, since brokers are process-wide and tests run in parallel.</summary>
    public static string NewBrokerName() => "test-" + Guid.NewGuid().ToString("N");

    public static ValueTask PublishAsync(this ITransport transport, string subject, string text, string? replyTo = null) =>
        transport.PublishAsync(subject, replyTo, Encoding.UTF8.GetBytes(text), CancellationToken.None);

    public static ValueTask<ITransportSubscription> SubscribeAsync(
        this ITransport transport, string subject, Collector collector, string? queueGroup = null) =>
        transport.SubscribeAsync(subject, queueGroup, collector.Handler, CancellationToken.None);

    public static async Task<T> WithTimeout<T>(this Task<T> task)
    {
        var winner = await Task.WhenAny(task, Task.Delay(TransportCollector.Timeout));
        Assert.True(winner == task, $"Not completed within {TransportCollector.Timeout.TotalSeconds} s.");
        return await task;
    }

    public static async Task WithTimeout(this Task task)
    {
        var winner = await Task.WhenAny(task, Task.Delay(TransportCollector.Timeout));
        Assert.True(winner == task, $"Not completed within {TransportCollector.Timeout.TotalSeconds} s.");
        await task;
    }
}
