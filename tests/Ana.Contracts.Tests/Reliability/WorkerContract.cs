namespace Ana.Contracts.Tests.Reliability;

/// <summary>The contract the reliability tests call: every answer is derived from the call's arguments.</summary>
[AnaAgent("worker")]
public partial interface IWorker
{
    [AnaTimeout(2)]
    Task<string> EchoAsync(int n, string tag, CancellationToken ct = default);

    [AnaTimeout(2)]
    Task<Served> WhoAsync(int n, CancellationToken ct = default);

    [AnaTimeout(2)]
    Task<int> SleepAsync(int ms, int n, CancellationToken ct = default);

    [AnaTimeout(0.5)]
    Task<int> HangAsync(CancellationToken ct = default);

    Task<string> NullAsync();

    Task<string> ThrowAsync(string message);
}

public sealed record Served(string Server, int N);

/// <summary>The server side of <see cref="IWorker"/>; counts what it runs.</summary>
public sealed class Worker(string name) : IWorker
{
    private int _running;
    private int _maxRunning;
    private int _served;

    public string Name { get; } = name;

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int ServedCount => Volatile.Read(ref _served);

    public TaskCompletionSource<bool> HangCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string Expected(int n, string tag) => $"{tag}:{n}:{(long)n * n}";

    public Task<string> EchoAsync(int n, string tag, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _served);
        return Task.FromResult(Expected(n, tag));
    }

    public async Task<Served> WhoAsync(int n, CancellationToken ct = default)
    {
        await Task.Yield();
        Interlocked.Increment(ref _served);
        return new Served(Name, n);
    }

    public async Task<int> SleepAsync(int ms, int n, CancellationToken ct = default)
    {
        int running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        try
        {
            await Task.Delay(ms, ct);
            Interlocked.Increment(ref _served);
            return n;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public async Task<int> HangAsync(CancellationToken ct = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }
        catch (OperationCanceledException)
        {
            HangCancelled.TrySetResult(true);
            throw;
        }
    }

    public Task<string> NullAsync() => Task.FromResult<string>(null!);

    public Task<string> ThrowAsync(string message) => throw new InvalidOperationException(message);
}
