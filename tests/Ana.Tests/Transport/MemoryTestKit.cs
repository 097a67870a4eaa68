using System.Text;
using System.Threading.Channels;
using Ana.Transport;
using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

/// <summary>A received message, copied out of the handler (the payload is only valid during the call).</summary>
internal readonly record struct Received(string Subject, string? ReplyTo, byte[] Payload, bool IsNoResponders)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>Collects what a subscription receives, and waits for it with a timeout.</summary>
internal sealed class Collector
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Func<TransportMessage, ValueTask>? _before;
    private int _count;

    public Collector(Func<TransportMessage, ValueTask>? before = null)
    {
        _before = before;
        Handler = HandleAsync;
    }

    public TransportHandler Handler { get; }

    public int Count => Volatile.Read(ref _count);

    public async Task<Received> NextAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"No message within {Timeout.TotalSeconds} s.");
            throw;
        }
    }

    public async Task<string> NextTextAsync() => (await NextAsync()).Text;

    private async ValueTask HandleAsync(TransportMessage message)
    {
        if (_before is not null)
        {
            await _before(message);
        }

        Interlocked.Increment(ref _count);
        _received.Writer.TryWrite(new Received(message.Subject, message.ReplyTo, message.Payload.ToArray(), message.IsNoResponders));
    }
}

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
        var winner = await Task.WhenAny(task, Task.Delay(Collector.Timeout));
        Assert.True(winner == task, $"Not completed within {Collector.Timeout.TotalSeconds} s.");
        return await task;
    }

    public static async Task WithTimeout(this Task task)
    {
        var winner = await Task.WhenAny(task, Task.Delay(Collector.Timeout));
        Assert.True(winner == task, $"Not completed within {Collector.Timeout.TotalSeconds} s.");
        await task;
    }
}
