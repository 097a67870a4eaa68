using System.Threading.Tasks.Sources;

namespace Ana;

/// <summary>
/// The items a served stream may still send before its caller grants more: the stream's loop takes one per item and,
/// when there is none, waits for the caller's next grant. It is its own awaitable (<see cref="IValueTaskSource"/>), with
/// one registration on the call's token for the whole stream, where a <see cref="SemaphoreSlim"/> wait made a task, a
/// node, a cancellation promise and a timer for every wait (once per half window on a stream whose reader keeps up).
/// </summary>
/// <remarks>
/// One loop takes credit, one wait at a time; grants come from the control subscription's reader. The loop's
/// continuation never runs on the thread that grants (the connection's reader) or cancels.
/// </remarks>
internal sealed class StreamCredit : IValueTaskSource, IDisposable
{
    private readonly int _window;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenRegistration _stopping;
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<bool> _wait = new() { RunContinuationsAsynchronously = true };
    private int _available;
    private bool _waiting;

    /// <summary>Credit for <paramref name="window"/> items; every wait ends with <see cref="OperationCanceledException"/> once <paramref name="stop"/> fires.</summary>
    public StreamCredit(int window, CancellationToken stop)
    {
        _window = window;
        _available = window;
        _stop = stop;
        _stopping = stop.UnsafeRegister(static state => ((StreamCredit)state!).Stop(), this);
    }

    /// <summary>Takes credit for one item, waiting for the caller's grant when there is none.</summary>
    /// <exception cref="OperationCanceledException">The stop token fired (at once if it had fired already).</exception>
    public ValueTask TakeAsync()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(_stop);
            }

            if (_available > 0)
            {
                _available--;
                return default;
            }

            if (_waiting)
            {
                throw new InvalidOperationException("A stream takes its credit one item at a time.");
            }

            _wait.Reset();
            _waiting = true;
            return new ValueTask(this, _wait.Version);
        }
    }

    /// <summary>
    /// Adds the caller's <paramref name="credit"/>. A caller cannot hold more than its window: credit beyond it is a
    /// peer's mistake, capped rather than trusted.
    /// </summary>
    public void Grant(int credit)
    {
        lock (_gate)
        {
            int granted = Math.Min(credit, _window - _available);
            if (granted <= 0)
            {
                return;
            }

            _available += granted;
            if (!_waiting)
            {
                return;
            }

            _available--;
            _waiting = false;
            _wait.SetResult(true);
        }
    }

    public void Dispose() => _stopping.Dispose();

    void IValueTaskSource.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _wait.OnCompleted(continuation, state, token, flags);

    private void Stop()
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            _wait.SetException(new OperationCanceledException(_stop));
        }
    }
}
