using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ana.Micro;
using Ana.Transport;

namespace Ana;

public sealed partial class AgentBus
{
    /// <summary>The time <see cref="DescribeAsync"/> waits for answers unless told otherwise.</summary>
    public static readonly TimeSpan DefaultDescribeWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Asks every running instance of <paramref name="agent"/> to describe itself, through NATS micro discovery
    /// (<c>$SRV.INFO.&lt;service&gt;</c>, which every bus serving a contract answers unless
    /// <see cref="AgentBusOptions.MicroDiscovery"/> is off), and yields each description as it arrives, for
    /// <paramref name="wait"/> at most. Break out of the loop to stop waiting at the first one.
    /// </summary>
    /// <remarks>
    /// Like <c>nats micro info</c>, it cannot know how many instances there are: it yields what answers within the wait.
    /// A response that is no INFO response, or describes another agent whose name maps to the same service name, is
    /// skipped. When no instance listens at all, the NATS server says so at once (no responders) and the loop ends then
    /// instead of after the wait. Over NATS the caller needs the right to publish on <c>$SRV.INFO.&lt;service&gt;</c>.
    /// </remarks>
    /// <param name="agent">The agent name.</param>
    /// <param name="wait">How long to wait for answers; <see cref="DefaultDescribeWait"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is not a valid agent name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wait"/> is not positive.</exception>
    public async IAsyncEnumerable<AgentDescription> DescribeAsync(
        string agent, TimeSpan? wait = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SubjectToken.ValidateAgent(agent, nameof(agent));
        TimeSpan within = wait ?? DefaultDescribeWait;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(within, TimeSpan.Zero, nameof(wait));
        ThrowIfDisposed();

        Channel<AgentDescription> answers = Channel.CreateUnbounded<AgentDescription>(new UnboundedChannelOptions { SingleReader = true });
        string inbox = _transport.NewInboxPrefix();
        await using ITransportSubscription subscription = await _transport.SubscribeInlineAsync(
            inbox,
            message =>
            {
                if (message.IsNoResponders)
                {
                    // Nobody subscribes to the service's INFO subject: no answer will come, so the wait ends now.
                    answers.Writer.TryComplete();
                }
                else if (InfoResponseReader.Read(message.Payload, agent) is { } description)
                {
                    answers.Writer.TryWrite(description);
                }

                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        await _transport.PublishAsync($"$SRV.INFO.{MicroNames.Map(agent)}", inbox, headers: null, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            AgentDescription description;
            try
            {
                description = await answers.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (ChannelClosedException)
            {
                yield break;
            }

            yield return description;
        }
    }
}
