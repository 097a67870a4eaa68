using System.Collections.Concurrent;

namespace Ana.Contracts.Tests.Durable;

public sealed record Document(int Id, string Text);

public sealed record IndexReport(int Id, int Words, string By);

/// <summary>A contract with durable methods (issue 16): calls and one-way messages stored in JetStream, and one core method.</summary>
[AnaAgent("indexer")]
public partial interface IIndexer
{
    /// <summary>Indexes a document and reports on it; survives worker restarts.</summary>
    [AnaDurable, AnaTimeout(30)]
    Task<IndexReport> IndexAsync(Document doc, CancellationToken ct = default);

    /// <summary>Indexes a document; survives "nobody listening".</summary>
    [AnaDurable, AnaOneWay]
    Task EnqueueAsync(Document doc, CancellationToken ct = default);

    /// <summary>Indexes a document, failing as the implementation says; three attempts, 0.2 s then 0.4 s apart.</summary>
    [AnaDurable(MaxAttempts = 3, RetryDelaySeconds = 0.2), AnaOneWay]
    Task FlakyAsync(Document doc);

    /// <summary>How many documents this server indexed: not durable.</summary>
    Task<int> CountAsync();
}

/// <summary>Records every run, by document id, with when it started; fails or lingers as the test says.</summary>
public sealed class Indexer(string name) : IIndexer
{
    private int _count;

    /// <summary>Each run's document id and start time, in the order they started.</summary>
    public ConcurrentQueue<(int Id, DateTimeOffset At, string Method)> Runs { get; } = new();

    /// <summary>How long each run takes.</summary>
    public TimeSpan Linger { get; init; }

    /// <summary>Whether <see cref="FlakyAsync"/> fails for a document.</summary>
    public Func<Document, bool> Fails { get; init; } = _ => true;

    /// <summary>Whether <see cref="IndexAsync"/> fails for a document.</summary>
    public Func<Document, bool> IndexFails { get; init; } = _ => false;

    /// <summary>Completed when a run starts (for tests that stop a server mid-run).</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a run's token fires.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IndexReport> IndexAsync(Document doc, CancellationToken ct = default)
    {
        await RunAsync(doc, "index", ct);
        if (IndexFails(doc))
        {
            throw new AnaException("index_failed", $"Document {doc.Id} cannot be indexed.");
        }

        return new IndexReport(doc.Id, doc.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, name);
    }

    public Task EnqueueAsync(Document doc, CancellationToken ct = default) => RunAsync(doc, "enqueue", ct);

    public async Task FlakyAsync(Document doc)
    {
        await RunAsync(doc, "flaky", CancellationToken.None);
        if (Fails(doc))
        {
            throw new InvalidOperationException($"Document {doc.Id} is poison.");
        }
    }

    public Task<int> CountAsync() => Task.FromResult(Volatile.Read(ref _count));

    private async Task RunAsync(Document doc, string method, CancellationToken ct)
    {
        Runs.Enqueue((doc.Id, DateTimeOffset.UtcNow, method));
        Interlocked.Increment(ref _count);
        Started.TrySetResult();
        if (Linger > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Linger, ct);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }
    }
}
