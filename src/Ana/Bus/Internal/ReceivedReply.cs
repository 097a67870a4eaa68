using System.Buffers;

namespace Ana;

/// <summary>
/// A reply handed to the call that waits for it: its <see cref="ReplyFrame"/> and a copy of its <c>data</c>'s bytes in
/// a pooled array, since the message's own bytes are valid only while the subscription's callback runs, and the call
/// reads its result later, on its own thread (not on the connection's reader). Whoever consumes it calls
/// <see cref="Return"/> once: <see cref="ICallOutcome{TResult}"/> does, whatever the outcome.
/// </summary>
internal readonly struct ReceivedReply
{
    private readonly byte[]? _data;

    private ReceivedReply(in ReplyFrame frame, byte[]? data)
    {
        Frame = frame;
        _data = data;
    }

    public ReplyFrame Frame { get; }

    /// <summary>The value of <c>data</c>; empty when the reply has none (or <c>null</c>).</summary>
    public ReadOnlySpan<byte> Data => _data is null ? default : _data.AsSpan(0, Frame.DataLength);

    /// <summary>Copies the data out of <paramref name="payload"/>, the envelope <paramref name="frame"/> was read from.</summary>
    public static ReceivedReply Copy(in ReplyFrame frame, ReadOnlySpan<byte> payload)
    {
        if (!frame.HasData)
        {
            return new ReceivedReply(frame, data: null);
        }

        byte[] data = ArrayPool<byte>.Shared.Rent(frame.DataLength);
        frame.DataOf(payload).CopyTo(data);
        return new ReceivedReply(frame, data);
    }

    /// <summary>The reply as a <see cref="Reply"/>, its data as a document: for untyped calls and client filters.</summary>
    public Reply ToReply() => new()
    {
        From = Frame.From,
        Ts = Frame.Ts,
        Clock = Frame.Clock,
        Host = Frame.Host,
        ReplyFor = Frame.ReplyFor,
        RequestId = Frame.RequestId,
        Data = Frame.HasData ? HotEnvelopeReader.ParseData(Data) : null,
        Error = Frame.Error,
        Sequence = Frame.Sequence,
        End = Frame.End,
    };

    /// <summary>Gives the data's bytes back to the pool; the reply is not read after this.</summary>
    public void Return()
    {
        if (_data is not null)
        {
            ArrayPool<byte>.Shared.Return(_data);
        }
    }
}
