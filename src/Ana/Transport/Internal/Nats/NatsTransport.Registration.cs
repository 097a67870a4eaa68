namespace Ana.Transport.Nats;

/// <summary>
/// Registering a subscription with the server, and telling a refused one from an accepted one. See docs/nats-notes.md
/// ("Refused subscriptions") for why the check waits for extra round trips and what would make it certain.
/// </summary>
internal sealed partial class NatsTransport
{
    /// <summary>
    /// Subscribes through <paramref name="subscribe"/> and returns once the server has the subscription, or throws
    /// <see cref="AnaPermissionException"/> when the server refused it.
    /// </summary>
    private async ValueTask<TSub> RegisterAsync<TSub>(
        string subject,
        CancellationTokenSource lifetime,
        Func<CancellationToken, ValueTask<TSub>> subscribe,
        CancellationToken cancellationToken)
        where TSub : class, IAsyncDisposable
    {
        TSub? sub = null;
        TaskCompletionSource<string> denied = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _registering.TryAdd(denied, subject);
        try
        {
            using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), lifetime))
            {
                sub = await subscribe(lifetime.Token).ConfigureAwait(false);

                // The subscribe call returns once SUB is queued; the PONG proves the server has processed it.
                await _connection.PingAsync(lifetime.Token).ConfigureAwait(false);

                // A refused SUB is answered with -ERR before that PONG, but the client raises ServerError on its own
                // event task, which lags behind the read loop the more the machine is loaded. Round trips give that
                // event time to arrive instead of returning a dead subscription; they take longer under load too, so
                // a few of them (well under a millisecond on an idle loopback) keep pace with the lag.
                for (int extra = 0; extra < ExtraRoundTripsForRefusals && !denied.Task.IsCompleted; extra++)
                {
                    await _connection.PingAsync(lifetime.Token).ConfigureAwait(false);
                }
            }

            if (denied.Task.IsCompleted)
            {
                throw new AnaPermissionException(subject, denied.Task.Result);
            }

            // Disposing the registration waited for a callback in flight: a cancellation that raced us shows here.
            if (lifetime.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return sub;
        }
        catch (Exception ex)
        {
            if (sub is not null)
            {
                await DisposeQuietlyAsync(sub, subject).ConfigureAwait(false);
            }

            lifetime.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Subscribing was cancelled.", ex, cancellationToken);
            }

            throw;
        }
        finally
        {
            _registering.TryRemove(denied, out _);
        }
    }
}
