namespace Ana;

/// <summary>One query waiting for its reply: completed once, by the first of reply, no-responders notice, timeout or cancellation.</summary>
internal sealed class PendingReply
{
    private readonly TaskCompletionSource<Reply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingReply(string querySubject) => QuerySubject = querySubject;

    public string QuerySubject { get; }

    public bool TryComplete(Reply reply) => _completion.TrySetResult(reply);

    public bool TryFailNoResponders() => _completion.TrySetException(new AnaNoRespondersException(QuerySubject));

    /// <summary>The reply, or <see langword="null"/> when <paramref name="timeout"/> passes first.</summary>
    public async ValueTask<Reply?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // When the caller's token fired too, cancellation is what the caller asked for: report that.
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
