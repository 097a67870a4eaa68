namespace Ana;

/// <summary>
/// What a call's reply or timeout becomes. <see cref="RequestReply"/> runs every call on one path and takes its
/// outcome as a struct type argument, so that each kind of call is still one state machine and no flag switches it.
/// </summary>
/// <typeparam name="TResult">What the call returns.</typeparam>
internal interface ICallOutcome<TResult>
{
    static abstract TResult Replied(Reply reply, string agent, string topic);

    static abstract TResult TimedOut(string agent, string topic, TimeSpan timeout);
}

/// <summary><see cref="AgentBus.QueryAndWaitAsync"/>: the reply as it came, error or not; <see langword="null"/> on timeout.</summary>
internal readonly struct ReplyOrNull : ICallOutcome<Reply?>
{
    public static Reply? Replied(Reply reply, string agent, string topic) => reply;

    public static Reply? TimedOut(string agent, string topic, TimeSpan timeout) => null;
}

/// <summary>A contract call: a reply that carries an error and a timeout become typed exceptions.</summary>
internal readonly struct ReplyOrThrow : ICallOutcome<Reply>
{
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public static Reply Replied(Reply reply, string agent, string topic)
        => reply.Error is { } error ? throw new AnaRemoteException(agent, topic, error.Code, error.Message) : reply;

    /// <exception cref="AnaTimeoutException">Always.</exception>
    public static Reply TimedOut(string agent, string topic, TimeSpan timeout) => throw new AnaTimeoutException(agent, topic, timeout);
}
