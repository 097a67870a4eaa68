using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Ana;

/// <summary>
/// The one path of a call that waits for its reply: register the call, listen on the responder's <c>reply</c>
/// subject, publish the query with the call's inbox, wait. What the reply or a timeout becomes is the
/// <see cref="ICallOutcome{TResult}"/>'s business.
/// </summary>
internal sealed class RequestReply
{
    private readonly EnvelopePublisher _publisher;
    private readonly ReplyRouter _replies;
    private readonly Deadlines _deadlines = new();

    public RequestReply(EnvelopePublisher publisher, ReplyRouter replies)
    {
        _publisher = publisher;
        _replies = replies;
    }

    /// <summary>
    /// Listens, publishes and waits, all within one deadline (shared with the calls that end in the same few
    /// milliseconds: see <see cref="Deadlines"/>): while the connection is down a publish waits for the
    /// reconnect, so the deadline has to bound it too, or a call could outlive its timeout by the length of an outage.
    /// </summary>
    /// <exception cref="AnaNoRespondersException">No agent listens on <paramref name="subject"/>.</exception>
    /// <exception cref="AnaConnectionException">The connection was lost or closed in a way that ended the call.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, and only then.</exception>
    /// <remarks>
    /// Its state machine, the largest object of a call, comes from a pool (<see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>)
    /// and goes back when the call's result is read: as with every <see cref="ValueTask{TResult}"/>, the result is
    /// awaited once, which every caller of this method does.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> SendAndWaitAsync<TOutcome, TResult>(
        TOutcome outcome,
        string subject,
        string replySubject,
        string to,
        string text,
        CallData data,
        IReadOnlyList<string>? fields,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TOutcome : struct, ICallOutcome<TResult>
    {
        CancellationToken deadline = _deadlines.After(timeout);

        // A caller's token that can fire needs a source of its own, linked to both; without one, the shared deadline does.
        CancellationTokenSource? linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline) : null;
        CancellationToken ended = linked?.Token ?? deadline;
        string requestId = RequestIds.New();
        PendingReply pending = _replies.Register(requestId, subject, replySubject);
        try
        {
            using CancellationTokenRegistration cancel = pending.CancelWhen(ended);
            await _replies.ListenAsync(pending, ended).ConfigureAwait(false);
            await _publisher.PublishQueryAsync(subject, _replies.InboxFor(requestId), to, text, fields, requestId, data, timeout.TotalSeconds, ended)
                .ConfigureAwait(false);
            ReceivedReply reply = await pending.Reply.ConfigureAwait(false);
            return outcome.Replied(reply, to, text);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return outcome.TimedOut(to, text, timeout);
        }
        catch (OperationCanceledException ex)
        {
            // Nobody cancelled this call: the client gave up an operation of its own, as it does when the connection drops.
            throw new AnaConnectionException($"The call to '{subject}' failed: the connection to the server was lost.", ex);
        }
        finally
        {
            _replies.Forget(requestId, pending);
            linked?.Dispose();
        }
    }

    /// <summary>A query that no reply is waited for: a request id, no <c>timeout_s</c>.</summary>
    public Query NewQuery(string to, string text, JsonElement? data, IReadOnlyList<string>? fields)
        => new(_publisher.Origin())
        {
            To = to,
            Text = text,
            Fields = fields,
            RequestId = RequestIds.New(),
            Data = data,
        };

    /// <summary>Publishes a query that no reply is waited for (a one-way contract call): a request id, no <c>timeout_s</c>.</summary>
    public ValueTask SendAsync(string subject, string to, string text, CallData data, CancellationToken cancellationToken)
        => _publisher.PublishQueryAsync(subject, replyTo: null, to, text, fields: null, RequestIds.New(), data, timeoutSeconds: null, cancellationToken);
}
