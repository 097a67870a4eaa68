using System.Text;
using Ana.Transport;

namespace Ana.Tests.Transport;

/// <summary>Shorthands for the transport tests: text payloads, collectors, and a bound on every wait.</summary>
internal static class TransportTestKit
{
    public static ValueTask PublishAsync(this ITransport transport, string subject, string text, string? replyTo = null) =>
        transport.PublishAsync(subject, replyTo, Encoding.UTF8.GetBytes(text), CancellationToken.None);

    public static ValueTask<ITransportSubscription> SubscribeAsync(
        this ITransport transport, string subject, Collector collector, string? queueGroup = null) =>
        transport.SubscribeAsync(subject, queueGroup, collector.Handler, CancellationToken.None);

    public static async Task<T> WithTimeout<T>(this Task<T> task)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(TransportCollector.Timeout));
        Assert.True(winner == task, $"Not completed within {TransportCollector.Timeout.TotalSeconds} s.");
        return await task;
    }

    public static async Task WithTimeout(this Task task)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(TransportCollector.Timeout));
        Assert.True(winner == task, $"Not completed within {TransportCollector.Timeout.TotalSeconds} s.");
        await task;
    }
}
