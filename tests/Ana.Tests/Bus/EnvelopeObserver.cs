using System.Threading.Channels;

namespace Ana.Tests.Bus;

/// <summary>Collects what a bus receives on a subject, for a test to await one envelope at a time.</summary>
internal sealed class EnvelopeObserver : IAsyncDisposable
{
    private readonly Channel<(Envelope Envelope, InboundContext Context)> _received = Channel.CreateUnbounded<(Envelope, InboundContext)>();
    private AgentSubscription? _subscription;

    public static async Task<EnvelopeObserver> StartAsync(AgentBus bus, string subject)
    {
        EnvelopeObserver observer = new();
        observer._subscription = await bus.SubscribeAsync(subject, (envelope, context) =>
        {
            observer._received.Writer.TryWrite((envelope, context));
            return default;
        });
        return observer;
    }

    public async Task<(Envelope Envelope, InboundContext Context)> NextAsync(TimeSpan? timeout = null)
    {
        using CancellationTokenSource cts = new(timeout ?? TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public async Task<T> NextAsync<T>(TimeSpan? timeout = null)
        where T : Envelope
        => Assert.IsType<T>((await NextAsync(timeout)).Envelope);

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }
}
