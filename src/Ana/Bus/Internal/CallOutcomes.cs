using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Internal;

namespace Ana;

/// <summary>
/// What a call's reply or timeout becomes. <see cref="RequestReply"/> runs every call on one path and takes its
/// outcome as a struct type argument, so that each kind of call is still one state machine and no flag switches it.
/// </summary>
/// <typeparam name="TResult">What the call returns.</typeparam>
internal interface ICallOutcome<TResult>
{
    /// <summary>The call's result from its reply, whose bytes it gives back (<see cref="ReceivedReply.Return"/>) whatever it returns or throws.</summary>
    TResult Replied(in ReceivedReply reply, string agent, string topic);

    /// <summary>The call's result from a reply as a <see cref="Reply"/>: what client filters return.</summary>
    TResult FromReply(Reply reply, string agent, string topic);

    TResult TimedOut(string agent, string topic, TimeSpan timeout);
}

/// <summary><see cref="AgentBus.QueryAndWaitAsync"/>: the reply as it came, error or not; <see langword="null"/> on timeout.</summary>
internal readonly struct ReplyOrNull : ICallOutcome<Reply?>
{
    public Reply? Replied(in ReceivedReply reply, string agent, string topic)
    {
        try
        {
            return reply.ToReply();
        }
        finally
        {
            reply.Return();
        }
    }

    public Reply? FromReply(Reply reply, string agent, string topic) => reply;

    public Reply? TimedOut(string agent, string topic, TimeSpan timeout) => null;
}

/// <summary>A contract call seen as its reply (by client filters, or a hand-written client): an error reply and a timeout become typed exceptions.</summary>
internal readonly struct ReplyOrThrow : ICallOutcome<Reply>
{
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public Reply Replied(in ReceivedReply reply, string agent, string topic)
    {
        try
        {
            CallOutcomes.ThrowIfError(reply.Frame.Error, agent, topic);
            return reply.ToReply();
        }
        finally
        {
            reply.Return();
        }
    }

    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public Reply FromReply(Reply reply, string agent, string topic)
    {
        CallOutcomes.ThrowIfError(reply.Error, agent, topic);
        return reply;
    }

    /// <exception cref="AnaTimeoutException">Always.</exception>
    public Reply TimedOut(string agent, string topic, TimeSpan timeout) => throw new AnaTimeoutException(agent, topic, timeout);
}

/// <summary>A contract method that returns no value: done when its reply says so.</summary>
internal readonly struct ContractCompletion : ICallOutcome<bool>
{
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public bool Replied(in ReceivedReply reply, string agent, string topic)
    {
        try
        {
            CallOutcomes.ThrowIfError(reply.Frame.Error, agent, topic);
            return true;
        }
        finally
        {
            reply.Return();
        }
    }

    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public bool FromReply(Reply reply, string agent, string topic)
    {
        CallOutcomes.ThrowIfError(reply.Error, agent, topic);
        return true;
    }

    /// <exception cref="AnaTimeoutException">Always.</exception>
    public bool TimedOut(string agent, string topic, TimeSpan timeout) => throw new AnaTimeoutException(agent, topic, timeout);
}

/// <summary>A contract method's result, read as <typeparamref name="T"/> straight from the reply's data bytes: no document, no <see cref="Reply"/>.</summary>
internal readonly struct ContractResult<T> : ICallOutcome<T>
{
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly bool _allowNull;

    public ContractResult(JsonTypeInfo<T> typeInfo, bool allowNull)
    {
        _typeInfo = typeInfo;
        _allowNull = allowNull;
    }

    /// <exception cref="AnaRemoteException">The reply carries an error, or data that does not fit <typeparamref name="T"/>.</exception>
    public T Replied(in ReceivedReply reply, string agent, string topic)
    {
        try
        {
            CallOutcomes.ThrowIfError(reply.Frame.Error, agent, topic);
            return reply.Frame.HasData
                ? ContractResults.Read(reply.Data, _typeInfo, agent, topic, _allowNull)
                : ContractResults.Absent<T>(agent, topic, _allowNull);
        }
        finally
        {
            reply.Return();
        }
    }

    /// <exception cref="AnaRemoteException">The reply carries an error, or data that does not fit <typeparamref name="T"/>.</exception>
    public T FromReply(Reply reply, string agent, string topic)
    {
        CallOutcomes.ThrowIfError(reply.Error, agent, topic);
        return ContractResults.Read(reply.Data, _typeInfo, agent, topic, _allowNull);
    }

    /// <exception cref="AnaTimeoutException">Always.</exception>
    public T TimedOut(string agent, string topic, TimeSpan timeout) => throw new AnaTimeoutException(agent, topic, timeout);
}

internal static class CallOutcomes
{
    /// <exception cref="AnaRemoteException">The reply carries an error.</exception>
    public static void ThrowIfError(ReplyError? error, string agent, string topic)
    {
        if (error is not null)
        {
            throw AnaRemoteException.For(agent, topic, error);
        }
    }
}
