using System.Collections.Concurrent;
using Ana;
using Ana.Contracts;

namespace DurableQueue;

/// <summary>An indexer agent whose work is stored by JetStream until a worker takes it.</summary>
[AnaAgent("indexer")]
public partial interface IIndexer
{
    /// <summary>
    /// Indexes <paramref name="doc"/>, later: topic <c>enqueue</c>. Returns once JetStream has confirmed that the call is
    /// stored, whether a worker runs now or not; a worker takes it when it starts.
    /// </summary>
    [AnaDurable, AnaOneWay]
    Task EnqueueAsync(Document doc);
}

public sealed record Document(int Id, string Title, string Text);

/// <summary>The worker's side: indexes each document once, however many times JetStream delivers it.</summary>
/// <param name="expected">How many documents the worker waits for before <see cref="AllDone"/> completes.</param>
internal sealed class Indexer(int expected) : IIndexer
{
    // The "index": what a real worker writes to its store, keyed by request id.
    private readonly ConcurrentDictionary<string, Document> _index = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _repeats;

    /// <summary>Completes when <c>expected</c> documents are indexed.</summary>
    public Task AllDone => _allDone.Task;

    /// <summary>How many documents are indexed.</summary>
    public int Indexed => _index.Count;

    /// <summary>How many deliveries found their document indexed already (and changed nothing).</summary>
    public int Repeats => Volatile.Read(ref _repeats);

    public Task EnqueueAsync(Document doc)
    {
        // Durable work is delivered at least once: a message can come again when a worker died after running it, when
        // its acknowledgement was lost, or when nats-server was killed. Every delivery of one stored call carries the
        // same request id, so keying the side effect by it makes a second run change nothing (a real indexer would
        // upsert by it, or store it next to the entry). Completion records make a second run rare; this makes it harmless.
        AnaCallContext call = AnaCallContext.Current!;
        string requestId = call.RequestId!;
        if (!_index.TryAdd(requestId, doc))
        {
            Interlocked.Increment(ref _repeats);
            Console.WriteLine($"worker: doc {doc.Id} delivered again (delivery {call.DeliveryAttempt}): already indexed, nothing to do");
            return Task.CompletedTask;
        }

        int words = doc.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Console.WriteLine($"worker: indexed doc {doc.Id} \"{doc.Title}\", {words} words (request {requestId}, delivery {call.DeliveryAttempt})");
        if (_index.Count >= expected)
        {
            _allDone.TrySetResult();
        }

        return Task.CompletedTask;
    }
}
