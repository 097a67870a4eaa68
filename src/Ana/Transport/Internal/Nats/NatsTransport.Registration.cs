namespace Ana.Transport.Nats;

/// <summary>
/// Registering a subscription with the server, and telling a refused one from an accepted one. See docs/nats-notes.md
/// ("Refused subscriptions"): with the read loop's tap (<see cref="ServerErrorTap"/>) one round trip makes it certain;
/// without it, extra round trips make it likely.
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

                // The subscribe call returns once SUB is queued; the PONG proves the server has processed it. A refused
                // SUB is answered with -ERR before that PONG, and the tap sees the -ERR on the read loop before the
                // PONG is read: once the ping returns, the refusal has been noted, if there was one.
                await _connection.PingAsync(lifetime.Token).ConfigureAwait(false);

                // Should the client stop logging through the tap (another read-loop category in a later version), only
                // the ServerError event reports the refusal, on its own task, which lags behind
                // the read loop the more the machine is loaded: a few more round trips make it likely to have arrived.
                for (int extra = 0; !_serverErrors.IsAttached && extra < ExtraRoundTripsForRefusals && !denied.Task.IsCompleted; extra++)
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
