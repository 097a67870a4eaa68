using System.Text;

namespace Ana.Tests.Bus;

/// <summary>
/// A streamed call's replies as its reader takes them: in order, each once, handed to a waiting reader on another
/// thread than the connection's reader, and a wait ended by the reading token. (Streams end to end, with fault
/// injection, are in the bus conformance suite.)
/// </summary>
public sealed class ReplyStreamTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Items_queued_before_a_read_and_items_that_come_while_it_waits_are_read_in_order()
    {
        ReplyStream stream = new("ana.writer.query.draft", "writer", "draft", window: 4, CancellationToken.None);
        Assert.True(Accept(stream, 1, "1"));
        Assert.True(Accept(stream, 2, "2"));
        Assert.False(Accept(stream, 2, "2"), "a duplicate was accepted");

        Assert.Equal("1", Text(await stream.ReadAsync()));
        Assert.Equal("2", Text(await stream.ReadAsync()));
        ValueTask<StreamEvent> waiting = stream.ReadAsync();
        Assert.False(waiting.IsCompleted);
        Assert.True(Accept(stream, 3, "3"));
        Assert.Equal("3", Text(await waiting.AsTask().WaitAsync(HangGuard)));

        Assert.True(Accept(stream, 4, data: null, end: true));
        StreamEvent last = await stream.ReadAsync();
        Assert.False(last.IsItem);
        Assert.Null(last.Failure);
        Assert.True(stream.EndedByResponder);
        stream.Abandon();
    }

    [Fact]
    public async Task A_gap_fails_the_stream_after_the_items_before_it()
    {
        ReplyStream stream = new("ana.writer.query.draft", "writer", "draft", window: 4, CancellationToken.None);
        Assert.True(Accept(stream, 1, "1"));
        Assert.True(Accept(stream, 3, "3"));
        Assert.False(Accept(stream, 2, "2"), "an item after the stream failed was accepted");

        Assert.Equal("1", Text(await stream.ReadAsync()));
        AnaException failure = Assert.IsType<AnaException>((await stream.ReadAsync()).Failure);
        Assert.Equal(AnaErrorCodes.BadResponse, failure.Code);
        stream.Abandon();
    }

    [Fact]
    public async Task The_reading_token_ends_a_waiting_read()
    {
        using CancellationTokenSource reading = new();
        ReplyStream stream = new("ana.writer.query.draft", "writer", "draft", window: 4, reading.Token);
        ValueTask<StreamEvent> waiting = stream.ReadAsync();

        await reading.CancelAsync();

        OperationCanceledException cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(HangGuard));
        Assert.Equal(reading.Token, cancelled.CancellationToken);
        Assert.True(stream.ReadAsync().IsCanceled);
        stream.Abandon();
    }

    [Fact]
    public async Task A_waiting_reader_never_runs_on_the_thread_that_accepts_the_item()
    {
        ReplyStream stream = new("ana.writer.query.draft", "writer", "draft", window: 4, CancellationToken.None);
        using ManualResetEventSlim accepted = new();
        bool returnedFirst = false;
        Task reader = ReadAsync(stream.ReadAsync());

        Assert.True(Accept(stream, 1, "1"));
        accepted.Set();
        await reader.WaitAsync(HangGuard);

        Assert.True(returnedFirst, "the continuation ran inline, before the thread that completed it went on");
        stream.Abandon();

        async Task ReadAsync(ValueTask<StreamEvent> waiting)
        {
            StreamEvent item = await waiting.ConfigureAwait(false);
            item.Reply.Return();

            // Run inline by Accept, this would hold the connection's reader until the guard passed.
            returnedFirst = accepted.Wait(HangGuard);
        }
    }

    private static bool Accept(ReplyStream stream, long sequence, string? data, bool end = false)
    {
        // The frame locates data in the payload, as HotEnvelopeReader does; only data is read from the payload.
        byte[] payload = Encoding.UTF8.GetBytes(data is null ? "" : $"\"{data}\"");
        ReplyFrame frame = new("writer", DateTimeOffset.UtcNow, Clock: null, Host: null, "ana.writer.query.draft", "r1", Error: null, 0, payload.Length)
        {
            Sequence = sequence,
            End = end ? true : null,
        };
        return stream.Accept(frame, payload);
    }

    private static string Text(StreamEvent next)
    {
        Assert.True(next.IsItem, next.Failure?.Message ?? "the stream ended");
        string text = Encoding.UTF8.GetString(next.Reply.Data).Trim('"');
        next.Reply.Return();
        return text;
    }
}
