using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// Issue 16, "Worker killed": 1,000 durable calls at concurrency 32 over three worker processes (tests/Ana.DurableWorker),
/// one of them killed with SIGKILL a third of the way through. What it held comes back to the others after the ack wait
/// (2 s); every call gets its own answer, none times out. docs/reliability.md gives the figures of a run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class WorkerKilledTests(ITestOutputHelper output) : DurableTestsBase
{
    private const int Calls = 1_000;
    private const int Concurrency = 32;
    private const int KillAfter = 330;
    private const int WorkerSlots = 16; // the workers' ServeOptions.MaxConcurrency: the most a killed worker can hold
    private static readonly TimeSpan Handler = TimeSpan.FromMilliseconds(100);

    [OwnNatsServerFact]
    public async Task Every_call_gets_its_own_answer_once_when_a_worker_process_is_killed_mid_run()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(4));
        List<ChildProcess> workers = [];
        try
        {
            foreach (string name in new[] { "w1", "w2", "w3" })
            {
                workers.Add(await DurableWorkers.StartAsync(Server.Url, Prefix, name, lingerMs: (int)Handler.TotalMilliseconds));
            }

            AgentBus caller = await ConnectAsync("caller");
            IIndexer client = caller.Client<IIndexer>();
            await using NatsConnection nats = new(new NatsOpts { Url = Server.Url });
            ConcurrentDictionary<string, int> replies = new();
            await using INatsSub<byte[]> replySubject = await nats.SubscribeCoreAsync<byte[]>($"{Prefix}.indexer.reply.index", cancellationToken: bound.Token);
            Task counting = Task.Run(async () =>
            {
                await foreach (NatsMsg<byte[]> reply in replySubject.Msgs.ReadAllAsync(bound.Token))
                {
                    using JsonDocument envelope = JsonDocument.Parse(reply.Data);
                    replies.AddOrUpdate(envelope.RootElement.GetProperty("request_id").GetString()!, 1, (_, n) => n + 1);
                }
            });
            await nats.PingAsync(bound.Token);

            ConcurrentBag<string> failures = [];
            ConcurrentDictionary<string, int> answeredBy = new();
            TimeSpan[] latencies = new TimeSpan[Calls];
            int next = 0, completed = 0;
            async Task CallLoopAsync()
            {
                for (int n = Interlocked.Increment(ref next) - 1; n < Calls; n = Interlocked.Increment(ref next) - 1)
                {
                    Stopwatch watch = Stopwatch.StartNew();
                    try
                    {
                        IndexReport report = await client.IndexAsync(new Document(n, "one two three"), bound.Token);
                        if (report.Id != n || report.Words != 3)
                        {
                            failures.Add($"call {n} got {report}");
                        }

                        answeredBy.AddOrUpdate(report.By, 1, (_, c) => c + 1);
                    }
                    catch (Exception ex)
                    {
                        failures.Add($"call {n}: {ex.GetType().Name}: {ex.Message}");
                    }

                    latencies[n] = watch.Elapsed;
                    if (Interlocked.Increment(ref completed) == KillAfter)
                    {
                        workers[2].Kill();
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(CallLoopAsync)));
            await workers[2].WaitForExitAsync(TimeSpan.FromSeconds(30));
            (long Received, long Redelivered, long Hits) survivors = (0, 0, 0);
            foreach (ChildProcess worker in workers.Take(2))
            {
                worker.Signal(ChildProcess.SIGTERM);
                string stats = await worker.WaitForStdoutAsync(line => line.StartsWith("stats ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                long[] counts = [.. stats.Split(' ').Skip(1).Select(c => long.Parse(c, CultureInfo.InvariantCulture))];
                survivors = (survivors.Received + counts[0], survivors.Redelivered + counts[1], survivors.Hits + counts[2]);
            }

            int[] runs = [.. workers.Select(w => w.StdoutLines.Count(line => line.StartsWith("run ", StringComparison.Ordinal)))];
            int duplicates = replies.Values.Sum() - replies.Count;
            TimeSpan slowest = latencies.Max();
            output.WriteLine(
                $"{Calls} durable calls, w3 killed after {KillAfter}: runs w1={runs[0]} w2={runs[1]} w3={runs[2]} (total {runs.Sum()}, {runs.Sum() - Calls} beyond one per call); " +
                $"answers {string.Join(", ", answeredBy.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}; survivors received {survivors.Received}, redelivered {survivors.Redelivered}, " +
                $"completion-record hits {survivors.Hits}; duplicate replies on the reply subject (dropped by the caller) {duplicates}; max latency {slowest.TotalMilliseconds:0} ms");

            Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(20)));
            Assert.Equal(Calls, answeredBy.Values.Sum());
            Assert.True(runs.Sum() >= Calls, $"{runs.Sum()} runs for {Calls} calls");
            Assert.InRange(runs.Sum() - Calls, 0, WorkerSlots);

            // A call the killed worker held waits for the ack wait (2 s), then runs again: well within its 30 s deadline.
            Assert.True(slowest < TimeSpan.FromSeconds(20), $"the slowest call took {slowest.TotalMilliseconds:0} ms");
            await AssertNothingPendingAsync("index");
        }
        finally
        {
            foreach (ChildProcess worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }
}
