using System.Text;
using System.Threading.Channels;
using Ana.Transport;
using NATS.Client.Core;

namespace Ana.Tests.Transport;

/// <summary>A received message, copied out of the handler (the payload is only valid during the call).</summary>
internal readonly record struct Received(string Subject, string? ReplyTo, byte[] Payload, bool IsNoResponders, NatsHeaders? Headers = null)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>A transport handler that queues what it receives, for a test to await one message at a time.</summary>
internal sealed class Collector
{
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

    /// <summary>The next message, or <see cref="TimeoutException"/> when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using CancellationTokenSource cts = new(timeout ?? TransportCollector.Timeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No message arrived within {(timeout ?? TransportCollector.Timeout).TotalSeconds} s.");
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
        _received.Writer.TryWrite(new Received(message.Subject, message.ReplyTo, message.Payload.ToArray(), message.IsNoResponders, message.Headers));
    }
}

internal static class TransportCollector
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
}
