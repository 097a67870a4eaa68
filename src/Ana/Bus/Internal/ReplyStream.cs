using System.Threading.Channels;

namespace Ana;

/// <summary>
/// The replies of one streamed call as they reach its inbox, handed to the caller's enumerator in order and each once:
/// a reply already taken (a duplicate) is dropped, a reply after a gap fails the stream, and so does a responder that
/// sends more than the caller's window (it ignored the credit). A plain reply, with no <c>seq</c>, is a stream of that
/// one item: the answer of a responder that does not stream.
/// </summary>
/// <remarks>
/// <see cref="Accept"/> runs on the inbox subscription's reader, one message at a time; the data of each item is copied
/// out of the message (<see cref="ReceivedReply"/>) and given back by whoever reads it. The buffer never holds more than
/// the window, since a responder that honours the credit cannot send more.
/// </remarks>
internal sealed class ReplyStream : IIdleDeadline
{
    private readonly Channel<StreamEvent> _events = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _querySubject;
    private readonly string _agent;
    private readonly string _topic;
    private readonly int _window;
    private long _expected = 1;
    private int _buffered;
    private int _ended;
    private volatile bool _endedByResponder;

    public ReplyStream(string querySubject, string agent, string topic, int window)
    {
        _querySubject = querySubject;
        _agent = agent;
        _topic = topic;
        _window = window;
    }

    /// <summary>
    /// Whether the responder ended the stream itself (its last reply, or an error), as soon as that reply is read, before
    /// the caller has taken the items ahead of it: nothing to cancel, and no credit to grant.
    /// </summary>
    public bool EndedByResponder
    {
        get => _endedByResponder;
        private set => _endedByResponder = value;
    }

    /// <summary>The heartbeat deadline the stream watches, if it has one: every reply, and every heartbeat, is a sign of life.</summary>
    public Contracts.Infrastructure.ContractCallSignals? Signals { get; init; }

    /// <summary>Takes a reply read on the call's inbox; false when it is dropped (a duplicate, or after the end).</summary>
    public bool Accept(in ReplyFrame frame, ReadOnlySpan<byte> payload)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            return false;
        }

        Signals?.Touch();

        if (frame.Sequence is not { } sequence)
        {
            // The responder does not stream: its one reply is the whole answer.
            EndedByResponder = true;
            if (frame.Error is { } plainError)
            {
                return End(StreamEvent.Failed(AnaRemoteException.For(_agent, _topic, plainError)));
            }

            Write(StreamEvent.Item(ReceivedReply.Copy(frame, payload)));
            return End(StreamEvent.Done);
        }

        if (sequence < _expected)
        {
            return false;
        }

        if (sequence > _expected)
        {
            return End(StreamEvent.Failed(new AnaException(
                AnaErrorCodes.BadResponse,
                $"The stream from {_agent}/{_topic} skipped from item {_expected - 1} to item {sequence}: items were lost, so the stream ends here.")));
        }

        _expected++;
        if (frame.Error is { } error)
        {
            EndedByResponder = true;
            return End(StreamEvent.Failed(AnaRemoteException.For(_agent, _topic, error)));
        }

        if (frame.End == true)
        {
            EndedByResponder = true;
            return End(StreamEvent.Done);
        }

        if (Interlocked.Increment(ref _buffered) > _window)
        {
            return End(StreamEvent.Failed(new AnaException(
                AnaErrorCodes.BadResponse,
                $"{_agent}/{_topic} sent more than the {_window} items the caller's window allows before it granted more: it ignores flow control, so the stream ends here.")));
        }

        Write(StreamEvent.Item(ReceivedReply.Copy(frame, payload)));
        return true;
    }

    /// <summary>Fails the stream because no item or heartbeat came within its heartbeat deadline.</summary>
    public bool FailIdle(AnaTimeoutException timeout) => End(StreamEvent.Failed(timeout));

    public void FailNoResponders() => End(StreamEvent.Failed(new AnaNoRespondersException(_querySubject)));

    public void FailDisposed() => End(StreamEvent.Failed(new ObjectDisposedException(nameof(AgentBus), "The bus was disposed while the stream was read.")));

    /// <summary>The next event, in arrival order; the caller gives an item's bytes back.</summary>
    public async ValueTask<StreamEvent> ReadAsync(CancellationToken cancellationToken)
    {
        StreamEvent next = await _events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (next.IsItem)
        {
            Interlocked.Decrement(ref _buffered);
        }

        return next;
    }

    /// <summary>Gives back the bytes of the items nobody read.</summary>
    public void Abandon()
    {
        End(StreamEvent.Done);
        while (_events.Reader.TryRead(out StreamEvent left))
        {
            if (left.IsItem)
            {
                left.Reply.Return();
            }
        }
    }

    private void Write(in StreamEvent next)
    {
        if (!_events.Writer.TryWrite(next) && next.IsItem)
        {
            next.Reply.Return();
        }
    }

    private bool End(in StreamEvent last)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        Write(last);
        _events.Writer.TryComplete();
        return true;
    }
}

/// <summary>What a <see cref="ReplyStream"/> hands its reader: an item, the end, or why the stream failed.</summary>
internal readonly struct StreamEvent
{
    private StreamEvent(ReceivedReply reply, Exception? failure, bool isItem)
    {
        Reply = reply;
        Failure = failure;
        IsItem = isItem;
    }

    public static StreamEvent Done => default;

    public ReceivedReply Reply { get; }

    public Exception? Failure { get; }

    public bool IsItem { get; }

    public static StreamEvent Item(ReceivedReply reply) => new(reply, failure: null, isItem: true);

    public static StreamEvent Failed(Exception failure) => new(default, failure, isItem: false);
}
