using System.Threading.Tasks.Sources;

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
/// the window, since a responder that honours the credit cannot send more. The stream is its own awaitable
/// (<see cref="IValueTaskSource{TResult}"/>) for its one reader, with one registration on the reader's token for the
/// whole stream: a reader that keeps up waits for every item, and a channel read with a token made an operation (and the
/// reading method a state machine) each time. The reader's continuation never runs on the connection's reader.
/// </remarks>
internal sealed class ReplyStream : IIdleDeadline, IValueTaskSource<StreamEvent>
{
    private readonly Queue<StreamEvent> _events = new();
    private readonly object _gate = new();
    private readonly string _querySubject;
    private readonly string _agent;
    private readonly string _topic;
    private readonly int _window;
    private readonly CancellationToken _reading;
    private readonly CancellationTokenRegistration _readingStops;
    private ManualResetValueTaskSourceCore<StreamEvent> _next = new() { RunContinuationsAsynchronously = true };
    private bool _readerWaits;
    private bool _abandoned;
    private long _expected = 1;
    private int _buffered;
    private int _ended;
    private volatile bool _endedByResponder;

    /// <summary>A stream read until <paramref name="reading"/> fires (the caller cancelling, or the stream's deadline).</summary>
    public ReplyStream(string querySubject, string agent, string topic, int window, CancellationToken reading)
    {
        _querySubject = querySubject;
        _agent = agent;
        _topic = topic;
        _window = window;
        _reading = reading;
        _readingStops = reading.UnsafeRegister(static state => ((ReplyStream)state!).StopReading(), this);
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

    /// <summary>
    /// The next event, in arrival order; the caller gives an item's bytes back. One read at a time, and none after the
    /// event that ends the stream (the end, or a failure).
    /// </summary>
    /// <exception cref="OperationCanceledException">The reading token fired.</exception>
    public ValueTask<StreamEvent> ReadAsync()
    {
        lock (_gate)
        {
            if (_reading.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<StreamEvent>(_reading);
            }

            if (_events.TryDequeue(out StreamEvent next))
            {
                return new ValueTask<StreamEvent>(Taken(next));
            }

            if (_readerWaits)
            {
                throw new InvalidOperationException("A stream is read one event at a time.");
            }

            _next.Reset();
            _readerWaits = true;
            return new ValueTask<StreamEvent>(this, _next.Version);
        }
    }

    /// <summary>Gives back the bytes of the items nobody read, and stops following the reading token.</summary>
    public void Abandon()
    {
        End(StreamEvent.Done);
        _readingStops.Dispose();
        lock (_gate)
        {
            _abandoned = true;
            while (_events.TryDequeue(out StreamEvent left))
            {
                if (left.IsItem)
                {
                    left.Reply.Return();
                }
            }
        }
    }

    StreamEvent IValueTaskSource<StreamEvent>.GetResult(short token) => Taken(_next.GetResult(token));

    ValueTaskSourceStatus IValueTaskSource<StreamEvent>.GetStatus(short token) => _next.GetStatus(token);

    void IValueTaskSource<StreamEvent>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _next.OnCompleted(continuation, state, token, flags);

    private StreamEvent Taken(in StreamEvent next)
    {
        if (next.IsItem)
        {
            Interlocked.Decrement(ref _buffered);
        }

        return next;
    }

    /// <summary>Hands <paramref name="next"/> to the waiting reader, or queues it; after <see cref="Abandon"/>, gives an item's bytes back.</summary>
    private void Write(in StreamEvent next)
    {
        lock (_gate)
        {
            if (_readerWaits)
            {
                _readerWaits = false;
                _next.SetResult(next);
                return;
            }

            if (!_abandoned)
            {
                _events.Enqueue(next);
                return;
            }
        }

        if (next.IsItem)
        {
            next.Reply.Return();
        }
    }

    private void StopReading()
    {
        lock (_gate)
        {
            if (_readerWaits)
            {
                _readerWaits = false;
                _next.SetException(new OperationCanceledException(_reading));
            }
        }
    }

    private bool End(in StreamEvent last)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        Write(last);
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
