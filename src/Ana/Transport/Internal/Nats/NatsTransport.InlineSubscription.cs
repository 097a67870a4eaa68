using System.Buffers;
using NATS.Client.Core;

namespace Ana.Transport.Nats;

internal sealed partial class NatsTransport
{
    /// <summary>
    /// A subscription whose handler runs on the connection's read loop, on the reader's own buffer (see
    /// <see cref="SubscribeInlineAsync"/>): what replies need to reach their waiting calls without a queue in between.
    /// </summary>
    private sealed class InlineSubscription : NatsSubBase, ITransportSubscription
    {
        private static ReadOnlySpan<byte> NoRespondersStatus => " 503"u8;

        private readonly NatsTransport _owner;
        private readonly TransportHandler _handler;
        private readonly CancellationTokenSource _lifetime;
        private int _disposed;

        public InlineSubscription(NatsTransport owner, string subject, TransportHandler handler, CancellationTokenSource lifetime, CancellationToken cancellationToken)
            : base(owner._connection, owner._connection.SubscriptionManager, subject, queueGroup: null, opts: null, cancellationToken)
        {
            _owner = owner;
            _handler = handler;
            _lifetime = lifetime;
        }

        /// <summary>Nothing is buffered: the handler runs as each message is read.</summary>
        ValueTask ITransportSubscription.DrainAsync(CancellationToken cancellationToken) => DisposeAsync();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await _lifetime.CancelAsync().ConfigureAwait(false);
            try
            {
                await base.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                NatsTransportLog.UnsubscribeFailed(_owner._logger, Subject, ex);
            }

            _owner.Untrack(this);
            await _owner.ConfirmWithServerAsync().ConfigureAwait(false);
            _lifetime.Dispose();
        }

        protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
        {
            // The base class ends the subscription on an exception: none may escape.
            try
            {
                bool noResponders = payloadBuffer.IsEmpty && IsNoRespondersStatus(headersBuffer);
                if (payloadBuffer.IsSingleSegment)
                {
                    ValueTask handled = _handler(new TransportMessage(subject, replyTo, payloadBuffer.First, noResponders));
                    return handled.IsCompletedSuccessfully ? default : AwaitHandlerAsync(handled, subject, rented: null);
                }

                // A payload split across the reader's segments: one contiguous copy.
                byte[] rented = ArrayPool<byte>.Shared.Rent((int)payloadBuffer.Length);
                payloadBuffer.CopyTo(rented);
                ValueTask pending = _handler(new TransportMessage(subject, replyTo, rented.AsMemory(0, (int)payloadBuffer.Length), noResponders));
                return AwaitHandlerAsync(pending, subject, rented);
            }
            catch (Exception ex)
            {
                NatsTransportLog.HandlerFailed(_owner._logger, Subject, subject, ex);
                return default;
            }
        }

        protected override void TryComplete()
        {
        }

        private static bool IsNoRespondersStatus(ReadOnlySequence<byte>? headers)
        {
            // "NATS/1.0 503\r\n...": the status code sits on the version line.
            if (headers is not { Length: >= 12 } buffer)
            {
                return false;
            }

            Span<byte> status = stackalloc byte[4];
            buffer.Slice(8, 4).CopyTo(status);
            return status.SequenceEqual(NoRespondersStatus);
        }

        private async ValueTask AwaitHandlerAsync(ValueTask handled, string subject, byte[]? rented)
        {
            try
            {
                await handled.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                NatsTransportLog.HandlerFailed(_owner._logger, Subject, subject, ex);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
    }
}
