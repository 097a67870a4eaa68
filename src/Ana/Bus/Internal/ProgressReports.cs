using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana;

/// <summary>
/// A served call's progress reports on their way to its caller: <see cref="Report"/> is synchronous (as
/// <see cref="IProgress{T}"/> is), so each report is serialized at once and queued, and one sender publishes them in
/// order, each as an <see cref="Ack"/> with <c>progress</c> to the caller's inbox. The queue is bounded: when it is
/// full the newest report replaces the oldest unsent one (progress is a state, not a log: a slow connection skips
/// stale states rather than delaying fresh ones without bound). <see cref="FlushAsync"/>, which the call's reply
/// awaits, makes every report sent before the reply.
/// </summary>
internal sealed class ProgressReports<T> : IProgress<T>, IProgressReports
{
    /// <summary>How many reports wait to be sent, at most.</summary>
    public const int Capacity = 16;

    private readonly InboundContext _context;
    private readonly Responder _responder;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly Queue<JsonElement> _unsent = new();
    private Task _sending = Task.CompletedTask;
    private bool _flushed;

    public ProgressReports(InboundContext context, Responder responder, JsonTypeInfo<T> typeInfo)
    {
        _context = context;
        _responder = responder;
        _typeInfo = typeInfo;
    }

    /// <exception cref="JsonException"><paramref name="value"/> cannot be serialized; nothing is queued.</exception>
    public void Report(T value)
    {
        JsonElement report = JsonSerializer.SerializeToElement(value, _typeInfo);
        lock (_unsent)
        {
            if (_flushed)
            {
                // After the reply: the caller has its result, and a report now would arrive after it.
                return;
            }

            if (_unsent.Count == Capacity)
            {
                _unsent.Dequeue();
            }

            _unsent.Enqueue(report);
            if (_sending.IsCompleted)
            {
                _sending = SendAsync();
            }
        }
    }

    public async ValueTask FlushAsync()
    {
        Task sending;
        lock (_unsent)
        {
            _flushed = true;
            sending = _sending;
        }

        await sending.ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        while (true)
        {
            JsonElement report;
            lock (_unsent)
            {
                if (!_unsent.TryDequeue(out report))
                {
                    return;
                }
            }

            try
            {
                await _responder.SendProgressAsync(_context, report, _context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or AnaException)
            {
                // The call ended, or the bus is closing: the reports left are of no use to anyone.
                lock (_unsent)
                {
                    _unsent.Clear();
                }

                return;
            }
        }
    }
}

/// <summary>A served call's progress reports, whatever their type: what the reply waits for.</summary>
internal interface IProgressReports
{
    ValueTask FlushAsync();
}
