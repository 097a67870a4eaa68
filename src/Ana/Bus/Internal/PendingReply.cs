namespace Ana;

/// <summary>One query waiting for its reply: completed once, by the first of reply, no-responders notice, timeout or cancellation.</summary>
internal sealed class PendingReply
{
    private readonly TaskCompletionSource<Reply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingReply(string querySubject, ReplySubjects.Listener listener)
    {
        QuerySubject = querySubject;
        Listener = listener;
    }

    public string QuerySubject { get; }

    /// <summary>The call's share of the subscription to the reply subject of the agent and topic it queried.</summary>
    public ReplySubjects.Listener Listener { get; }

    public bool TryComplete(Reply reply) => _completion.TrySetResult(reply);

    public bool TryFailDisposed() => _completion.TrySetException(new ObjectDisposedException(nameof(AgentBus), "The bus was disposed while the query waited for its reply."));

    public bool TryFailNoResponders() => _completion.TrySetException(new AnaNoRespondersException(QuerySubject));

    /// <summary>The reply, once it came; failed or cancelled otherwise.</summary>
    public Task<Reply> Reply => _completion.Task;

    /// <summary>
    /// Cancels the wait when <paramref name="cancellationToken"/> (the call's deadline) fires: a registration that cancels
    /// the completion itself is cheaper than <see cref="Task.WaitAsync(CancellationToken)"/>'s promise around it.
    /// </summary>
    public CancellationTokenRegistration CancelWhen(CancellationToken cancellationToken)
        => cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource<Reply>)state!).TrySetCanceled(token), _completion);
}
