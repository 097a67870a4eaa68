using System.Globalization;
using System.Text.Json;

namespace Ana.Contracts.Tests;

/// <summary>The server side of <see cref="IScheduler"/> used by the end-to-end tests.</summary>
public sealed class Scheduler : IScheduler
{
    private readonly Dictionary<Guid, JobResult> _results = [];

    public TaskCompletionSource<string> Notified { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pings;

    public Task<JobResult> SubmitAsync(Job job, CancellationToken ct = default)
    {
        JobResult result = new()
        {
            JobId = job.Id,
            State = job.Steps.Count == 0 ? JobResult.JobState.Failed : JobResult.JobState.Done,
            Score = job.Priority == Priority.Urgent ? 1.5 : null,
            Log = [.. job.Steps.Select(s => $"{s.Command} ({s.Timeout.TotalSeconds}s, exit {string.Join('|', s.ExitCodesAllowed)})"), $"owner={job.Owner?.Name}/{job.Owner?.Email}", $"labels={string.Join(',', job.Labels.Select(l => l.Key + "=" + l.Value))}", $"not_before={job.NotBefore:O}"],
            Extra = JsonDocument.Parse("""{"k":[1,"two",null]}""").RootElement.Clone(),
        };
        lock (_results)
        {
            _results[job.Id] = result;
        }

        return Task.FromResult(result);
    }

    public Task<long> AddAsync(int a, long b) => Task.FromResult(a + b);

    public Task<Shape> ScaleAsync(Shape shape, double factor) => Task.FromResult<Shape>(shape switch
    {
        Circle circle => circle with { Radius = circle.Radius * factor },
        Square square => square with { Side = square.Side * factor },
        _ => throw new ArgumentException("unknown shape", nameof(shape)),
    });

    public Task<List<string>> NameAsync(IReadOnlyList<Shape> shapes)
        => Task.FromResult(shapes.Select(s => $"{s.GetType().Name}:{s.Label ?? "-"}").ToList());

    public Task<string> DescribeAsync(TimeSpan delay, decimal amount, DateTime due, DateTimeOffset at, DateOnly day, TimeOnly time, TimeSpan? every = null)
        => Task.FromResult(string.Join(
            '|',
            delay.ToString("c", CultureInfo.InvariantCulture),
            amount.ToString(CultureInfo.InvariantCulture),
            due.ToString("O", CultureInfo.InvariantCulture),
            due.Kind.ToString(),
            at.ToString("O", CultureInfo.InvariantCulture),
            day.ToString("O", CultureInfo.InvariantCulture),
            time.ToString("O", CultureInfo.InvariantCulture),
            every?.ToString("c", CultureInfo.InvariantCulture) ?? "none"));

    public async Task<int> SlowAsync(int ms, CancellationToken ct = default)
    {
        try
        {
            await Task.Delay(ms, ct);
            return ms;
        }
        catch (OperationCanceledException)
        {
            SlowCancelled.TrySetResult(true);
            throw;
        }
    }

    public Task PingAsync()
    {
        Interlocked.Increment(ref Pings);
        return Task.CompletedTask;
    }

    public Task NotifyAsync(string note)
    {
        Notified.TrySetResult(note);
        return Task.CompletedTask;
    }

    public ValueTask<Inventory> GetInventoryAsync(IReadOnlyList<string>? filter, bool includeEmpty = false, CancellationToken cancellationToken = default)
    {
        Dictionary<string, Inventory.Shelf> shelves = new()
        {
            ["a1"] = new Inventory.Shelf(3, 10, 'x'),
            ["b2"] = new Inventory.Shelf(0, null, 'y'),
        };
        return ValueTask.FromResult(new Inventory
        {
            Shelves = shelves.Where(s => (filter is null || filter.Contains(s.Key)) && (includeEmpty || s.Value.Count > 0)).ToDictionary(),
            TakenAt = new DateTime(2026, 5, 14, 6, 35, 0, DateTimeKind.Utc),
        });
    }

    public ValueTask<JobResult?> FindAsync(Guid jobId)
    {
        lock (_results)
        {
            return ValueTask.FromResult(_results.GetValueOrDefault(jobId));
        }
    }

    public Task<string> FailAsync(string code) => code switch
    {
        "crash" => throw new InvalidOperationException("hidden detail"),
        "null" => Task.FromResult<string>(null!),
        _ => throw new AnaException(code, $"failed with {code}"),
    };
}
