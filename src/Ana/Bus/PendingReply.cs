namespace Ana;

/// <summary>One query waiting for its reply: completed once, by the first of reply, no-responders notice, timeout or cancellation.</summary>
internal sealed class PendingReply
{
    private readonly TaskCompletionSource<Reply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingReply(string querySubject) => QuerySubject = querySubject;

    public string QuerySubject { get; }

    public bool TryComplete(Reply reply) => _completion.TrySetResult(reply);

    public bool TryFailDisposed() => _completion.TrySetException(new ObjectDisposedException(nameof(AgentBus), "The bus was disposed while the query waited for its reply."));

    public bool TryFailNoResponders() => _completion.TrySetException(new AnaNoRespondersException(QuerySubject));

    /// <summary>The reply; cancelled with <paramref name="cancellationToken"/>, which carries the call's deadline.</summary>
    public Task<Reply> WaitAsync(CancellationToken cancellationToken) => _completion.Task.WaitAsync(cancellationToken);
}
