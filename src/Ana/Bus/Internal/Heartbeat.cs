namespace Ana;

/// <summary>
/// The "alive, working" acks of a served call whose caller set <c>heartbeat_s</c>: one every third of it, to the
/// caller's inbox, from when the handler has run for that long until its reply is sent or it ends. A third leaves
/// room for a beat delayed by a loaded machine or network before the caller's idle deadline passes.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(10);

    private readonly InboundContext _context;
    private readonly Responder _responder;
    private readonly Timer _timer;
    private int _stopped;

    public Heartbeat(InboundContext context, Responder responder, double heartbeatSeconds)
    {
        _context = context;
        _responder = responder;
        TimeSpan interval = TimeSpan.FromSeconds(heartbeatSeconds / 3);
        interval = interval < Shortest ? Shortest : interval > CallTimeouts.Max ? CallTimeouts.Max : interval;
        _timer = new Timer(static state => ((Heartbeat)state!).Beat(), this, interval, interval);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _timer.Dispose();
        }
    }

    private void Beat()
    {
        if (Volatile.Read(ref _stopped) != 0 || _context.HasReplied)
        {
            return;
        }

        _ = SendAsync();
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
