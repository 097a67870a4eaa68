using System.Threading.Channels;
using NATS.Client.Core;

namespace Ana.Transport.Nats;

internal sealed partial class NatsTransport
{
    /// <summary>
    /// A subscription whose messages a pump task hands to the handler one at a time, in order, each on its own pooled
    /// copy of the payload.
    /// </summary>
    private sealed class PumpSubscription : ITransportSubscription
    {
        // Set on the pump's execution context: lets a handler dispose its own subscription without waiting for itself.
        private static readonly AsyncLocal<PumpSubscription?> CurrentPump = new();

        private readonly NatsTransport _owner;
        private readonly INatsSub<NatsMemoryOwner<byte>> _sub;
        private readonly CancellationTokenSource _lifetime;
        private readonly TransportHandler _handler;
        private readonly object _gate = new();
        private Task _pump = Task.CompletedTask;
        private Task? _stop;
        private volatile bool _draining;

        public PumpSubscription(NatsTransport owner, INatsSub<NatsMemoryOwner<byte>> sub, CancellationTokenSource lifetime, TransportHandler handler)
        {
            _owner = owner;
            _sub = sub;
            _lifetime = lifetime;
            _handler = handler;
        }

        public string Subject => _sub.Subject;

        public string? QueueGroup => _sub.QueueGroup;

        private string Name => _sub.QueueGroup is null ? _sub.Subject : string.Concat(_sub.Subject, " (queue ", _sub.QueueGroup, ")");

        public void Start()
        {
            lock (_gate)
            {
                if (_stop is null)
                {
                    _pump = Task.Run(PumpAsync);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Task stop;
            lock (_gate)
            {
                stop = _stop ??= StopAsync();
            }

            await stop.ConfigureAwait(false);

            if (CurrentPump.Value != this)
            {
                // Waits for the handler to finish the current message; the pump delivers nothing after that.
                await _pump.ConfigureAwait(false);
                _lifetime.Dispose();
            }
        }

        public async ValueTask DrainAsync(CancellationToken cancellationToken)
        {
            bool stopping;
            lock (_gate)
            {
                stopping = _stop is not null;
            }

            if (!stopping)
            {
                _draining = true;
                try
                {
                    // UNSUB, then a round trip that fences the messages already on their way; the channel completes
                    // after them, so the pump hands over what is buffered and ends by itself.
                    await _sub.DrainAsync(cancellationToken).ConfigureAwait(false);
                    if (CurrentPump.Value != this)
                    {
                        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Out of time: the dispose below discards the rest.
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    NatsTransportLog.UnsubscribeFailed(_owner._logger, Name, ex);
                }
            }

            await DisposeAsync().ConfigureAwait(false);
        }

        private async Task StopAsync()
        {
            // Stops the pump between messages, and (through the token given to the client) ends the NATS subscription.
            await _lifetime.CancelAsync().ConfigureAwait(false);
            await _owner.DisposeQuietlyAsync(_sub, Name).ConfigureAwait(false);
            _owner.Untrack(this);
            await _owner.ConfirmWithServerAsync().ConfigureAwait(false);
        }

        private async Task PumpAsync()
        {
            CurrentPump.Value = this;
            ChannelReader<NatsMsg<NatsMemoryOwner<byte>>> reader = _sub.Msgs;
            CancellationToken token = _lifetime.Token;
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    while (!token.IsCancellationRequested && reader.TryRead(out NatsMsg<NatsMemoryOwner<byte>> msg))
                    {
                        await DeliverAsync(msg).ConfigureAwait(false);
                    }
                }

                if (!token.IsCancellationRequested && !_draining)
                {
                    // Nobody asked for the end: the client completed the subscription's channel by itself.
                    _owner.NoteFault(this, QueueGroup, "The NATS client ended the subscription.");
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Disposed.
            }
            catch (Exception ex)
            {
                NatsTransportLog.SubscriptionFailed(_owner._logger, Name, ex);
                _owner.NoteFault(this, QueueGroup, "The subscription ended with an error: " + UrlSecrets.RedactInText(ex.Message));
            }
            finally
            {
                // Buffered messages that will never be delivered: return their pooled buffers.
                while (reader.TryRead(out NatsMsg<NatsMemoryOwner<byte>> msg))
                {
                    msg.Data.Dispose();
                }
            }
        }

        private async ValueTask DeliverAsync(NatsMsg<NatsMemoryOwner<byte>> msg)
        {
            NatsMemoryOwner<byte> payload = msg.Data;
            try
            {
                if (msg.Error is { } error)
                {
                    NatsTransportLog.UnreadableMessage(_owner._logger, msg.Subject, Name, error);
                    return;
                }

                await _handler(new TransportMessage(msg.Subject, msg.ReplyTo, payload.Memory, msg.HasNoResponders, msg.Headers)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                NatsTransportLog.HandlerFailed(_owner._logger, Name, msg.Subject, ex);
            }
            finally
            {
                payload.Dispose();
            }
        }
    }
}
