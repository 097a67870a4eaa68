using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// Publishes durable messages to JetStream and waits for their storage to be confirmed. A publish JetStream does not
/// answer while the connection is down, or within <see cref="RecoveryGrace"/> of a lost connection, is made again with
/// the same message id until the time allowed runs out, so a server restart shorter than that is invisible and the
/// message is stored once; so is one whose acknowledgement took longer than the client's request timeout. One that
/// gets "no responders" while the connection has long been up has no stream to go to.
/// </summary>
internal sealed class DurablePublisher(Transport.Nats.NatsTransport transport, DurableCounters counters)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long after the connection was lost a publish nobody answers is taken for JetStream recovering its streams (a
    /// restarted nats-server accepts connections before it has them back: seen on 2.9.10) and tried again, rather than for
    /// a subject no stream stores (<c>not_stored</c> at once).
    /// </summary>
    private static readonly TimeSpan RecoveryGrace = TimeSpan.FromSeconds(10);
    private readonly NatsConnection _connection = transport.Connection;
    private readonly NatsJSContext _js = new(transport.Connection);

    public INatsJSContext JetStream => _js;

    /// <summary>The connection's transport: where its publishes' refusals are seen.</summary>
    public Transport.Nats.NatsTransport Transport => transport;

    /// <exception cref="AnaException"><c>not_stored</c>: no stream stores the subject, JetStream refused the message, or no confirmation came within <paramref name="within"/>.</exception>
    public async ValueTask<DurableReceipt> PublishAsync(string subject, string messageId, string requestId, ReadOnlyMemory<byte> payload, TimeSpan within, CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        NatsJSPubOpts options = new() { MsgId = messageId };
        while (true)
        {
            long attempt = Stopwatch.GetTimestamp();
            try
            {
                PubAckResponse ack = await _js.PublishAsync(subject, payload, opts: options, cancellationToken: deadline.Token).ConfigureAwait(false);
                if (ack.Error is { } error)
                {
                    throw new AnaException(AnaErrorCodes.NotStored, $"JetStream refused to store the message on '{subject}': {error.Description} (code {error.ErrCode}).");
                }

                // A duplicate is success: the message is stored, once.
                DurableReceipt receipt = new(requestId, ack.Stream ?? string.Empty, ack.Seq, ack.Duplicate);
                counters.Stored(receipt);
                return receipt;
            }
            catch (NatsJSPublishNoResponseException) when (_connection.ConnectionState == NatsConnectionState.Open && !transport.LostWithin(RecoveryGrace)
                && Stopwatch.GetElapsedTime(attempt) < _js.Opts.RequestTimeout)
            {
                // The client says "no response" both for "no responders" (no stream stores the subject: at once) and for
                // an acknowledgement that did not come within its request timeout (a slow store, say under load): only
                // the first ends here; the second is tried again below, with the same id, until the time allowed ends.
                ThrowIfRefused(subject);
                throw new AnaException(AnaErrorCodes.NotStored, $"No JetStream stream stores the subject '{subject}': nothing was stored. Start a server of the agent (it creates the work stream) or create the stream as docs/durable.md shows.");
            }
            catch (NatsJSApiException e)
            {
                throw new AnaException(AnaErrorCodes.NotStored, $"JetStream refused to store the message on '{subject}': {e.Error.Description} (code {e.Error.ErrCode}).");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfRefused(subject);
                throw NotConfirmed(subject, within);
            }
            catch (Exception e) when (e is NatsNoReplyException or TimeoutException or NatsJSPublishNoResponseException || (e is NatsException && _connection.ConnectionState != NatsConnectionState.Open))
            {
                // A publish the server refused is never answered: said at once rather than tried again.
                ThrowIfRefused(subject);

                // The connection is down, the acknowledgement was lost or came after the client's request timeout, or
                // JetStream is still recovering its streams after a server restart (it answers nothing for a moment): the
                // same id again, stored at most once.
                try
                {
                    await Task.Delay(RetryPause, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ThrowIfRefused(subject);
                    throw NotConfirmed(subject, within);
                }
            }
        }
    }

    /// <summary>A publish the server refused gets no answer at all: the refusal it logged says why, with the subject.</summary>
    private void ThrowIfRefused(string subject)
    {
        if (transport.TryGetPublishRefusal(subject, out string? serverError))
        {
            throw new AnaPermissionException(subject, serverError, $"The NATS server refused the durable publish on '{subject}' (nothing was stored): {serverError}. The caller needs the right to publish on '<prefix>.*.work.>' (docs/nats-notes.md).");
        }
    }

    private static AnaException NotConfirmed(string subject, TimeSpan within)
        => new(AnaErrorCodes.NotStored, $"JetStream did not confirm the message on '{subject}' within {within.TotalSeconds:0.###} s: it may have been stored. Publishing it again with the same idempotency key stores it at most once within the stream's duplicate window.");
}
