namespace Ana;

/// <summary>
/// A call being served that its caller can steer (see <see cref="CallControl"/>): its handler's token, which fires at
/// the call's deadline, when the subscription stops, or when the caller cancels; and, for a stream, the credit the
/// caller has granted. One per call, never pooled: a handler may keep its token past the end of its call (in work it
/// started), and a source reset for the next call would cancel that work with another caller's cancellation.
/// </summary>
internal sealed class ServedCall : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private CancellationTokenRegistration _bound;
    private StreamCredit? _credit;
    private int _cancelledByCaller;

    /// <summary>The caller (the query's <c>from</c>, which the control subject's sender token must match).</summary>
    public required string Caller { get; init; }

    public required string RequestId { get; init; }

    /// <summary>The handler's token.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the caller cancelled the call (rather than its deadline passing or the subscription stopping).</summary>
    public bool CancelledByCaller => Volatile.Read(ref _cancelledByCaller) != 0;

    /// <summary>Makes the call's token also fire with <paramref name="bound"/> (its deadline, or the subscription stopping).</summary>
    public void Bind(CancellationToken bound)
        => _bound = bound.UnsafeRegister(static state => ((ServedCall)state!).CancelSource(), this);

    /// <summary>Makes the call a stream that may send <paramref name="window"/> items before the caller grants more.</summary>
    public void OpenStream(int window) => Volatile.Write(ref _credit, new StreamCredit(window, Token));

    /// <summary>Waits until the caller's credit allows one more item, and takes it; the wait ends when <see cref="Token"/> fires.</summary>
    /// <exception cref="InvalidOperationException">The call is not a stream.</exception>
    /// <exception cref="OperationCanceledException"><see cref="Token"/> fired.</exception>
    public ValueTask TakeCreditAsync()
        => (_credit ?? throw new InvalidOperationException("This call is not a stream.")).TakeAsync();

    /// <summary>
    /// Adds the caller's <paramref name="credit"/>. A caller cannot hold more than its window: credit beyond it is a
    /// peer's mistake, capped rather than trusted.
    /// </summary>
    /// <returns>Whether the call is a stream that took it.</returns>
    public bool Grant(int credit)
    {
        if (Volatile.Read(ref _credit) is not { } stream)
        {
            return false;
        }

        stream.Grant(credit);
        return true;
    }

    /// <summary>
    /// The caller stopped waiting: the handler's token is cancelled now, and its callbacks run on the thread pool, so that
    /// <see cref="CallControl"/> may call this under its lock.
    /// </summary>
    public void CancelByCaller()
    {
        if (Interlocked.Exchange(ref _cancelledByCaller, 1) == 0)
        {
            _ = _source.CancelAsync();
        }
    }

    /// <summary>Ends the call: its token no longer follows the deadline or the subscription.</summary>
    public void Dispose()
    {
        _bound.Dispose();
        _credit?.Dispose();
        _source.Dispose();
    }

    private void CancelSource()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
