using System.Runtime.CompilerServices;

namespace Ana.Contracts.Tests;

public sealed record Token(string Text, int Index);

[AnaAgent("writer")]
public partial interface IWriter
{
    /// <summary>Streams the words of <paramref name="prompt"/>, one token each.</summary>
    IAsyncEnumerable<Token> DraftAsync(string prompt, CancellationToken ct = default);

    /// <summary>Streams until cancelled.</summary>
    [AnaStreamWindow(4)]
    IAsyncEnumerable<int> TicksAsync(CancellationToken ct = default);

    /// <summary>Streams <paramref name="count"/> numbers, then fails.</summary>
    IAsyncEnumerable<int> FailAfterAsync(int count);

    /// <summary>Streams a null item, which the contract says cannot be.</summary>
    IAsyncEnumerable<string> NullItemAsync();

    /// <summary>Streams <paramref name="count"/> numbers, one every <paramref name="pauseMs"/> milliseconds: slower than its heartbeat deadline.</summary>
    [AnaHeartbeat(3), AnaTimeout(600)]
    IAsyncEnumerable<int> SlowAsync(int count, int pauseMs, CancellationToken ct = default);

    /// <summary>Streams <paramref name="count"/> numbers from <paramref name="start"/>, each as soon as it is asked for.</summary>
    IAsyncEnumerable<long> RangeAsync(long start, int count, CancellationToken ct = default);
}

/// <summary>A fake token generator; it counts the iterators whose <c>finally</c> ran, and how many of them were cancelled.</summary>
public sealed class Writer : IWriter
{
    private int _finished;
    private int _cancelled;

    public int Finished => Volatile.Read(ref _finished);

    public int Cancelled => Volatile.Read(ref _cancelled);

    public async IAsyncEnumerable<Token> DraftAsync(string prompt, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string[] words = prompt.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            yield return new Token(words[i], i);
        }
    }

    public async IAsyncEnumerable<int> TicksAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        try
        {
            for (int i = 1; ; i++)
            {
                yield return i;
                await Task.Delay(1, ct);
            }
        }
        finally
        {
            if (ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelled);
            }

            Interlocked.Increment(ref _finished);
        }
    }

    public async IAsyncEnumerable<int> FailAfterAsync(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new AnaException("out_of_ink", "The writer ran dry.");
    }

    public async IAsyncEnumerable<int> SlowAsync(int count, int pauseMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Delay(pauseMs, ct);
            yield return i;
        }
    }

    public async IAsyncEnumerable<long> RangeAsync(long start, int count, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            yield return start + i;
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> NullItemAsync()
    {
        await Task.Yield();
        yield return "one";
        yield return null!;
    }
}
