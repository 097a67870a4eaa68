namespace Ana;

/// <summary>
/// The "alive, working" acks of a served call whose caller set <c>heartbeat_s</c>: one every third of it, to the
/// caller's inbox, from when the handler has run for that long until its reply is sent or it ends. A third leaves
/// room for a beat delayed by a loaded machine or network before the caller's idle deadline passes. The beats ride on
/// the dispatcher's shared <see cref="Deadlines"/> (a registration on a slot's token, re-armed after each beat), not on a
/// timer per call: a call that ends before its first beat costs one registration.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(10);

    private readonly InboundContext _context;
    private readonly Responder _responder;
    private readonly Deadlines _deadlines;
    private readonly TimeSpan _interval;
    private CancellationTokenRegistration _next;
    private int _stopped;

    public Heartbeat(InboundContext context, Responder responder, Deadlines deadlines, double heartbeatSeconds)
    {
        _context = context;
        _responder = responder;
        _deadlines = deadlines;
        TimeSpan interval = TimeSpan.FromSeconds(heartbeatSeconds / 3);
        _interval = interval < Shortest ? Shortest : interval > CallTimeouts.Max ? CallTimeouts.Max : interval;
        Arm();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            // Not Dispose, which would wait for a beat running on another thread: a late beat finds the call stopped.
            _next.Unregister();
        }
    }

    private void Arm()
    {
        CancellationTokenRegistration next = _deadlines.After(_interval).UnsafeRegister(static state => ((Heartbeat)state!).Beat(), this);
        _next = next;
        if (Volatile.Read(ref _stopped) != 0)
        {
            next.Unregister();
        }
    }

    private void Beat()
    {
        // The dispatcher's deadlines also fire when it stops: then the call is ending, and needs no more beats.
        if (Volatile.Read(ref _stopped) != 0 || _context.HasReplied || _context.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        _ = SendAsync();
        Arm();
    }

    private async Task SendAsync()
    {
        try
        {
            await _responder.SendProgressAsync(_context, progress: null, _context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or AnaException)
        {
            // The call ended, or the bus is closing.
        }
    }
}
