using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Ana.Durable;

/// <summary>
/// Takes the stored messages of one durable (agent, topic) from its consumer and hands each to the served contract's
/// handler slots. It pulls only as many as there are free slots when it asks (never <c>ConsumeAsync</c>'s prefetch of a
/// thousand, which held messages unstarted past their ack wait and got them delivered twice), and none while every slot
/// is busy. It survives server restarts and reconnects: a failed pull is retried with a growing pause, logged once per
/// outage.
/// </summary>
/// <remarks>
/// A publish the NATS server refuses is dropped without an answer. The acknowledgements of the messages (on their
/// <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.…</c> reply subjects) and the pulls are such publishes: refused, each message
/// would come back after its ack wait, run again and be refused again, for ever. So the puller watches the connection's
/// refusals of its own subjects (no cost per message), and at the first one logs an error naming the right the server's
/// user lacks, lists the topic in <see cref="AgentBus.SubscriptionFaults"/> and stops taking its work: the messages it
/// holds go to another server after their ack wait, or wait in the stream until a server with the rights starts.
/// Trade-offs: a pull asks for at most <see cref="MaxBatch"/> messages and waits at most <see cref="PullExpiry"/> for
/// them, so a server that stops leaves a pull open on the server for that long, and a message JetStream sends to it
/// meanwhile waits out its ack wait before another server gets it (at least once still holds). Slots can be taken by
/// core queries between the pull and the messages' arrival: a message then waits for a slot, held and kept in progress.
/// </remarks>
internal sealed class WorkPuller : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private static readonly TimeSpan PullExpiry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);
    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;

    private readonly INatsJSContext _js;
    private readonly Transport.Nats.NatsTransport _transport;
    private readonly string _stream;
    private readonly string _consumerName;
    private readonly string _ackSubjects;
    private readonly string _pullSubject;
    private readonly WorkTopic _topic;
    private readonly InboundDispatcher _dispatcher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDisposable _refusals;
    private INatsJSConsumer _consumer;
    private Task? _loop;
    private int _refused;
    private int _disposed;

    private WorkPuller(INatsJSContext js, Transport.Nats.NatsTransport transport, string stream, INatsJSConsumer consumer, WorkTopic topic, InboundDispatcher dispatcher)
    {
        _js = js;
        _transport = transport;
        _stream = stream;
        _consumer = consumer;
        _consumerName = consumer.Info.Name;
        _ackSubjects = $"$JS.ACK.{stream}.{_consumerName}.";
        _pullSubject = $"$JS.API.CONSUMER.MSG.NEXT.{stream}.{_consumerName}";
        _topic = topic;
        _dispatcher = dispatcher;
        _refusals = transport.WatchPublishRefusals(IsOwnSubject, OnRefused);
    }

    /// <summary>Starts taking the stored messages of <paramref name="topic"/> from the consumer <paramref name="consumerName"/>.</summary>
    public static async ValueTask<WorkPuller> StartAsync(
        INatsJSContext js, Transport.Nats.NatsTransport transport, string stream, string consumerName, WorkTopic topic, InboundDispatcher dispatcher, CancellationToken cancellationToken)
    {
        INatsJSConsumer consumer = await js.GetConsumerAsync(stream, consumerName, cancellationToken).ConfigureAwait(false);
        topic.AckWait = consumer.Info.Config.AckWait;
        WorkPuller puller = new(js, transport, stream, consumer, topic, dispatcher);
        puller._loop = Task.Run(puller.RunAsync, CancellationToken.None);
        return puller;
    }

    /// <summary>Stops pulling; a message that arrived and waits for a slot is handed back at once by the dispatcher.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _refusals.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _transport.ClearFault(this);
    }

    /// <summary>
    /// Whether the server refused one of this consumer's subjects: a message's acknowledgement (its reply subject,
    /// <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.…</c>, the form of 2.9 servers) or a pull.
    /// </summary>
    private bool IsOwnSubject(string subject)
        => subject.StartsWith(_ackSubjects, StringComparison.Ordinal) || string.Equals(subject, _pullSubject, StringComparison.Ordinal);

    /// <summary>On the connection's read loop: said once, and the pulls stop without waiting here.</summary>
    private void OnRefused(string subject, string serverError)
    {
        if (Interlocked.Exchange(ref _refused, 1) != 0 || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        string right = subject.StartsWith(_ackSubjects, StringComparison.Ordinal) ? _ackSubjects + ">" : _pullSubject;

        // Listed before it is said, so that whoever reads the error finds the fault too.
        _transport.NoteFault(this, new AgentSubscriptionFault
        {
            Subject = _topic.Subject,
            QueueGroup = _consumerName,
            Reason = $"{serverError}: the NATS user may not publish on '{right}' (docs/nats-notes.md), so this server stopped taking the stored work of '{_topic.Subject}'",
            Since = DateTimeOffset.UtcNow,
        });
        DurableLog.WorkRefused(_topic.Logger, _topic.Subject, right, serverError);
        _ = _stopping.CancelAsync();
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        TimeSpan pause = FirstPause;
        bool failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _dispatcher.WaitForFreeSlotAsync(stopping).ConfigureAwait(false);
                int batch = Math.Clamp(_dispatcher.FreeSlots, 1, MaxBatch);
                NatsJSFetchOpts pull = new() { MaxMsgs = batch, Expires = PullExpiry };
                await foreach (NatsJSMsg<byte[]> message in _consumer.FetchAsync(pull, Raw, stopping).ConfigureAwait(false))
                {
                    await _dispatcher.AcceptWorkAsync(new WorkDelivery(message, _topic)).ConfigureAwait(false);
                }

                if (failing)
                {
                    failing = false;
                    pause = FirstPause;
                    DurableLog.PullResumed(_topic.Logger, _topic.Subject);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException or ObjectDisposedException)
            {
                // A server restart ends a pull with "no responders"; a lost connection, with a timeout or a closed one.
                if (!failing)
                {
                    failing = true;
                    DurableLog.PullFailed(_topic.Logger, _topic.Subject, ex.Message);
                }

                try
                {
                    await Task.Delay(pause, stopping).ConfigureAwait(false);
                    pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
                    _consumer = await _js.GetConsumerAsync(_stream, _consumerName, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception again) when (again is NatsException or OperationCanceledException)
                {
                    // Still out: the next round pauses longer.
                }
            }
        }
    }
}
