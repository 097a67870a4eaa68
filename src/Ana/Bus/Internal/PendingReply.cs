using System.Threading.Tasks.Sources;

namespace Ana;

/// <summary>
/// One query waiting for its reply: completed once, by the first of reply, no-responders notice, timeout or
/// cancellation. It is its own awaitable (<see cref="IValueTaskSource{TResult}"/>): one object per call, where a
/// <see cref="TaskCompletionSource{TResult}"/> would add itself and its task. The caller's continuation never runs on the
/// thread that completes it (the connection's reader, or a timer).
/// </summary>
internal sealed class PendingReply : IValueTaskSource<ReceivedReply>, IIdleDeadline
{
    private ManualResetValueTaskSourceCore<ReceivedReply> _completion = new() { RunContinuationsAsynchronously = true };
    private int _completed;

    public PendingReply(string querySubject, ReplySubjects.Listener listener)
    {
        QuerySubject = querySubject;
        Listener = listener;
    }

    public string QuerySubject { get; }

    /// <summary>The signs of life the call watches (progress reports, a heartbeat deadline), if any.</summary>
    public Contracts.Infrastructure.ContractCallSignals? Signals { get; init; }

    /// <summary>The call's share of the subscription to the reply subject of the agent and topic it queried.</summary>
    public ReplySubjects.Listener Listener { get; }

    /// <summary>The reply, once it came; failed or cancelled otherwise. Awaited once, by the call.</summary>
    public ValueTask<ReceivedReply> Reply => new(this, _completion.Version);

    /// <summary>Completes the call with the reply read as <paramref name="frame"/> from <paramref name="payload"/>, whose data it copies.</summary>
    public bool TryComplete(in ReplyFrame frame, ReadOnlySpan<byte> payload)
    {
        if (!TryEnd())
        {
            return false;
        }

        _completion.SetResult(ReceivedReply.Copy(frame, payload));
        return true;
    }

    public bool TryFailDisposed() => TryFail(new ObjectDisposedException(nameof(AgentBus), "The bus was disposed while the query waited for its reply."));

    public bool TryFailNoResponders() => TryFail(new AnaNoRespondersException(QuerySubject));

    /// <summary>Fails the call because no sign of life came within its heartbeat deadline.</summary>
    public bool FailIdle(AnaTimeoutException timeout) => TryFail(timeout);

    /// <summary>Cancels the wait when <paramref name="cancellationToken"/> (the call's deadline) fires.</summary>
    public CancellationTokenRegistration CancelWhen(CancellationToken cancellationToken)
        => cancellationToken.UnsafeRegister(static (state, token) => ((PendingReply)state!).TryFail(new OperationCanceledException(token)), this);

    ReceivedReply IValueTaskSource<ReceivedReply>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReceivedReply>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<ReceivedReply>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);

    private bool TryFail(Exception exception)
    {
        if (!TryEnd())
        {
            return false;
        }

        _completion.SetException(exception);
        return true;
    }

    // The completion source takes one result: whoever ends the call first sets it, the others find it ended.
    private bool TryEnd() => Interlocked.Exchange(ref _completed, 1) == 0;
}
