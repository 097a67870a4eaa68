using Ana.Telemetry;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Ana.Transport.Nats;

/// <summary>The connection's events: logged, counted, and a refused subscription handed to the registration waiting for it.</summary>
internal sealed partial class NatsTransport
{
    private void HookEvents()
    {
        _connection.ConnectionOpened += OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected += OnConnectionDisconnectedAsync;
        _connection.ReconnectFailed += OnReconnectFailedAsync;
        _connection.MessageDropped += OnMessageDroppedAsync;
        _connection.SlowConsumerDetected += OnSlowConsumerDetectedAsync;
        _connection.ServerError += OnServerErrorAsync;
        _connection.LameDuckModeActivated += OnLameDuckModeActivatedAsync;
    }

    private void UnhookEvents()
    {
        _connection.ConnectionOpened -= OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected -= OnConnectionDisconnectedAsync;
        _connection.ReconnectFailed -= OnReconnectFailedAsync;
        _connection.MessageDropped -= OnMessageDroppedAsync;
        _connection.SlowConsumerDetected -= OnSlowConsumerDetectedAsync;
        _connection.ServerError -= OnServerErrorAsync;
        _connection.LameDuckModeActivated -= OnLameDuckModeActivatedAsync;
    }

    private ValueTask OnConnectionOpenedAsync(object? sender, NatsEventArgs args)
    {
        if (Interlocked.Increment(ref _openedCount) == 1)
        {
            NatsTransportLog.ConnectionOpened(_logger, args.Message);
        }
        else
        {
            NatsTransportLog.ConnectionReopened(_logger, args.Message);
        }

        return default;
    }

    private ValueTask OnConnectionDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        Volatile.Write(ref _lostAt, Environment.TickCount64);
        if (Volatile.Read(ref _disposed) == 0)
        {
            NatsTransportLog.ConnectionLost(_logger, args.Message);
        }

        return default;
    }

    private ValueTask OnReconnectFailedAsync(object? sender, NatsEventArgs args)
    {
        NatsTransportLog.ReconnectFailed(_logger, args.Message);
        return default;
    }

    private ValueTask OnMessageDroppedAsync(object? sender, NatsMessageDroppedEventArgs args)
    {
        Interlocked.Increment(ref _droppedMessages);
        Instrumentation.Dropped.Add(1);
        NatsTransportLog.MessageDropped(_logger, args.Subject, args.Subscription.Subject, args.Pending);

        // The dropped message never reaches a pump: give its pooled buffer back.
        if (args.Data is NatsMemoryOwner<byte> payload)
        {
            payload.Dispose();
        }

        return default;
    }

    private ValueTask OnSlowConsumerDetectedAsync(object? sender, NatsSlowConsumerEventArgs args)
    {
        Interlocked.Increment(ref _slowConsumerEvents);
        NatsTransportLog.SlowConsumer(_logger, args.Subscription.Subject);
        return default;
    }

    private ValueTask OnServerErrorAsync(object? sender, NatsServerErrorEventArgs args)
    {
        NatsTransportLog.ServerError(_logger, args.Error);
        NoteRefusal(args.Error ?? string.Empty);
        return default;
    }

    /// <summary>
    /// Fails the registration a refusal names. Called from the read loop's tap (in order with the server's other
    /// answers) and again from the event (late, for a client whose logging bypasses the tap); the second is a no-op.
    /// </summary>
    private void NoteRefusal(string error)
    {
        // nats-server: Permissions Violation for Publish to "subject"
        const string RefusedPublish = "Permissions Violation for Publish to \"";
        int publish = error.IndexOf(RefusedPublish, StringComparison.OrdinalIgnoreCase);
        if (publish >= 0)
        {
            publish += RefusedPublish.Length;
            int close = error.IndexOf('"', publish);
            if (close > publish)
            {
                if (_refusedPublishes.Count >= 1_024)
                {
                    _refusedPublishes.Clear();
                }

                string refused = error[publish..close];
                _refusedPublishes[refused] = error;
                if (!_publishWatches.IsEmpty)
                {
                    foreach (PublishRefusalWatch watch in _publishWatches.Keys)
                    {
                        watch.Notify(refused, error);
                    }
                }
            }

            return;
        }

        // nats-server: Permissions Violation for Subscription to "subject"[ using queue "group"]
        const string Refused = "Permissions Violation for Subscription to \"";
        int start = error.IndexOf(Refused, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return;
        }

        start += Refused.Length;
        int end = error.IndexOf('"', start);
        string subject = end > start ? error[start..end] : string.Empty;
        bool registering = false;
        foreach ((TaskCompletionSource<string>? pending, string? pendingSubject) in _registering)
        {
            if (string.Equals(pendingSubject, subject, StringComparison.Ordinal))
            {
                registering = true;
                pending.TrySetResult(error);
            }
        }

        if (registering)
        {
            return;
        }

        // Not one being made: the client sent a live one again (after a reconnect) and the server refused it.
        string? queueGroup = QueueGroupOf(error, end);
        foreach (ITransportSubscription live in _subscriptions.Keys)
        {
            string? liveQueueGroup = (live as PumpSubscription)?.QueueGroup;
            if (string.Equals(live.Subject, subject, StringComparison.Ordinal) && string.Equals(liveQueueGroup, queueGroup, StringComparison.Ordinal))
            {
                NoteFault(live, liveQueueGroup, error);
            }
        }
    }

    /// <summary>The queue group a refusal names after the subject (<c>… using queue "group"</c>), if any.</summary>
    private static string? QueueGroupOf(string error, int subjectEnd)
    {
        const string UsingQueue = " using queue \"";
        int start = subjectEnd < 0 ? -1 : error.IndexOf(UsingQueue, subjectEnd, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += UsingQueue.Length;
        int end = error.IndexOf('"', start);
        return end > start ? error[start..end] : null;
    }

    private ValueTask OnLameDuckModeActivatedAsync(object? sender, NatsLameDuckModeActivatedEventArgs args)
    {
        NatsTransportLog.LameDuck(_logger, args.Message);
        return default;
    }

    private sealed class PublishRefusalWatch(NatsTransport transport, Func<string, bool> matches, Action<string, string> refused) : IDisposable
    {
        public void Notify(string subject, string error)
        {
            if (matches(subject))
            {
                refused(subject, error);
            }
        }

        public void Dispose() => transport._publishWatches.TryRemove(this, out _);
    }
}
