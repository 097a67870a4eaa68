// Fleet: one scheduler contract served by several workers in one queue group; a caller spreads jobs over them.
//   dotnet run --project samples/Fleet                              memory://: 3 workers and the caller in one process
//   dotnet run --project samples/Fleet -- --workers 5 --jobs 20
// Across processes on a real server: start workers, then the caller.
//   dotnet run --project samples/Fleet -- --nats nats://127.0.0.1:4222 --role worker --name worker-a
//   dotnet run --project samples/Fleet -- --nats nats://127.0.0.1:4222 --role worker --name worker-b
//   dotnet run --project samples/Fleet -- --nats nats://127.0.0.1:4222 --role caller --jobs 12
using System.Collections.Concurrent;
using Ana;
using Fleet;

string url = "memory://fleet";
string role = "all";
string? workerName = null;
int workers = 3;
int jobs = 12;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--nats" when hasValue: url = args[++i]; break;
        case "--role" when hasValue && args[i + 1] is "all" or "worker" or "caller": role = args[++i]; break;
        case "--name" when hasValue: workerName = args[++i]; break;
        case "--workers" when hasValue && int.TryParse(args[i + 1], out workers) && workers > 0: i++; break;
        case "--jobs" when hasValue && int.TryParse(args[i + 1], out jobs) && jobs > 0: i++; break;
        default:
            Console.Error.WriteLine("usage: Fleet [--nats URL] [--role all|worker|caller] [--name WORKER] [--workers N] [--jobs N]");
            return 2;
    }
}

AgentBusOptions options = new() { Url = url };
List<IAsyncDisposable> running = [];
try
{
    if (role is "all" or "worker")
    {
        // Every worker serves the agent "scheduler" in its queue group (the default): each job goes to one of them.
        string[] names = role == "worker" ? [workerName ?? $"worker-{Environment.ProcessId}"] : Enumerable.Range(1, workers).Select(n => $"worker-{n}").ToArray();
        foreach (string name in names)
        {
            AgentBus bus = await AgentBus.ConnectAsync(name, options);
            running.Add(bus);
            running.Add(await bus.ServeAsync<IScheduler>(new Worker(name)));
            Console.WriteLine($"{name} serving IScheduler on {url}");
        }
    }

    if (role == "worker")
    {
        using CancellationTokenSource stop = new();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    AgentBus caller = await AgentBus.ConnectAsync("dispatcher", options);
    running.Add(caller);
    IScheduler scheduler = caller.Client<IScheduler>();
    Task<JobResult>[] calls = Enumerable.Range(1, jobs)
        .Select(n => scheduler.RunAsync(new Job(n, $"job-{n}", WorkMs: 20 + (n % 4 * 10))))
        .ToArray();
    JobResult[] results = await Task.WhenAll(calls);

    ConcurrentDictionary<string, int> perWorker = new();
    foreach (JobResult result in results)
    {
        perWorker.AddOrUpdate(result.Worker, 1, (_, count) => count + 1);
    }

    Console.WriteLine($"{results.Length} jobs done by {perWorker.Count} worker(s):");
    foreach ((string worker, int count) in perWorker.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {worker}: {count} job(s)");
    }

    return results.All(r => r.Output == $"job-{r.JobId} done") ? 0 : 1;
}
finally
{
    for (int i = running.Count - 1; i >= 0; i--)
    {
        await running[i].DisposeAsync();
    }
}

namespace Fleet
{
    /// <summary>The scheduler contract every worker serves.</summary>
    [Ana.Contracts.AnaAgent("scheduler")]
    public partial interface IScheduler
    {
        Task<JobResult> RunAsync(Job job, CancellationToken cancellationToken = default);
    }

    public sealed record Job(int Id, string Name, int WorkMs);

    public sealed record JobResult(int JobId, string Worker, string Output, TimeSpan Took);

    internal sealed class Worker(string name) : IScheduler
    {
        public async Task<JobResult> RunAsync(Job job, CancellationToken cancellationToken)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Task.Delay(job.WorkMs, cancellationToken);
            return new JobResult(job.Id, name, $"{job.Name} done", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }
}
