using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// Issue 16, "Server restarted": nats-server (JetStream, file storage) is stopped twice in the middle of 1,000 durable
/// one-way messages and 1,000 durable calls, once with SIGTERM and once with SIGKILL, and started again on the same port
/// with the same store; the buses reconnect and the worker's pulls resume by themselves. docs/reliability.md gives the
/// figures of a run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ServerRestartTests(ITestOutputHelper output) : DurableTestsBase
{
    private const int Messages = 1_000;
    private const int Calls = 1_000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(1);

    [OwnNatsServerFact]
    public async Task Stored_work_survives_a_clean_and_a_killed_server_and_every_call_is_answered_or_times_out()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(4));
        Indexer indexer = new("worker-1") { Linger = TimeSpan.FromMilliseconds(5) };
        AgentBus worker = await ServeAsync("worker-1", indexer, new ServeOptions { MaxConcurrency = 16 });
        AgentBus caller = await ConnectAsync("caller", Durable with { PublishTimeout = TimeSpan.FromSeconds(10) });
        IIndexer client = caller.Client<IIndexer>();

        ConcurrentBag<int> stored = [];
        ConcurrentBag<string> notStored = [];
        ConcurrentBag<string> failures = [];
        int answered = 0, timedOut = 0, completed = 0;
        TaskCompletionSource firstStop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource secondStop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        void Progress()
        {
            int done = Interlocked.Increment(ref completed);
            if (done == (Messages + Calls) / 4)
            {
                firstStop.TrySetResult();
            }
            else if (done == (Messages + Calls) * 5 / 8)
            {
                secondStop.TrySetResult();
            }
        }

        int nextMessage = -1, nextCall = -1;
        async Task EnqueueLoopAsync()
        {
            for (int i = Interlocked.Increment(ref nextMessage); i < Messages; i = Interlocked.Increment(ref nextMessage))
            {
                try
                {
                    using JsonDocument data = JsonDocument.Parse($$$"""{"doc":{"id":{{{i}}},"text":"stored"}}""");
                    await caller.EnqueueDurableAsync("indexer", "enqueue", data.RootElement, $"doc-{i}", bound.Token);
                    stored.Add(i);
                }
                catch (AnaException ex) when (ex.Code == AnaErrorCodes.NotStored)
                {
                    notStored.Add($"doc-{i}: {ex.Message}");
                }
                catch (Exception ex)
                {
                    failures.Add($"enqueue {i}: {ex.GetType().Name}: {ex.Message}");
                }

                Progress();
            }
        }

        async Task CallLoopAsync()
        {
            for (int i = Interlocked.Increment(ref nextCall); i < Calls; i = Interlocked.Increment(ref nextCall))
            {
                int id = 10_000 + i;
                try
                {
                    IndexReport report = await client.IndexAsync(new Document(id, "one two"), bound.Token);
                    if (report.Id != id || report.Words != 2)
                    {
                        failures.Add($"call {id} got {report}");
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (AnaTimeoutException)
                {
                    Interlocked.Increment(ref timedOut);
                }
                catch (Exception ex)
                {
                    failures.Add($"call {id}: {ex.GetType().Name}: {ex.Message}");
                }

                Progress();
            }
        }

        Task restarts = Task.Run(
            async () =>
            {
                await firstStop.Task.WaitAsync(bound.Token);
                await Server.Server.TerminateAsync(bound.Token);
                await Task.Delay(Outage, bound.Token);
                await Server.Server.StartAgainAsync(bound.Token);
                await secondStop.Task.WaitAsync(bound.Token);
                await Server.Server.StopAsync(bound.Token);
                await Task.Delay(Outage, bound.Token);
                await Server.Server.StartAgainAsync(bound.Token);
            },
            bound.Token);

        Stopwatch run = Stopwatch.StartNew();
        await Task.WhenAll([.. Enumerable.Range(0, 8).Select(_ => Task.Run(EnqueueLoopAsync)), .. Enumerable.Range(0, 16).Select(_ => Task.Run(CallLoopAsync)), restarts]);
        TimeSpan loaded = run.Elapsed;

        // Every message whose storage was confirmed is processed, at least once.
        HashSet<int> confirmed = [.. stored];
        await WaitUntilAsync(() => confirmed.IsSubsetOf(indexer.Runs.Where(r => r.Method == "enqueue").Select(r => r.Id)), TimeSpan.FromSeconds(120));
        int oneWayRuns = indexer.Runs.Count(r => r.Method == "enqueue");
        int callRuns = indexer.Runs.Count(r => r.Method == "index");
        output.WriteLine(
            $"SIGTERM and SIGKILL of nats-server ({Outage.TotalSeconds:0} s each) during {Messages} durable messages and {Calls} durable calls ({loaded.TotalSeconds:0.0} s): " +
            $"{confirmed.Count} messages confirmed stored, {notStored.Count} not_stored, {oneWayRuns} one-way runs ({oneWayRuns - confirmed.Count} beyond one per confirmed message); " +
            $"calls {answered} answered, {timedOut} timed out, {callRuns} runs; worker received {worker.Statistics.DurableReceived}, redelivered {worker.Statistics.DurableRedelivered}, " +
            $"completion-record hits {worker.Statistics.DurableCompletionHits}; caller duplicates {caller.Statistics.DurableDuplicates}; all processed {run.Elapsed.TotalSeconds:0.0} s after the start");
        foreach (string refused in notStored.Take(5))
        {
            output.WriteLine("not stored: " + refused);
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.Equal(Messages, confirmed.Count + notStored.Count);
        Assert.Equal(Calls, answered + timedOut);

        // A reply published while the caller was cut off is lost (core NATS): at most the calls in flight at each outage.
        Assert.InRange(timedOut, 0, 2 * 16);
        await AssertNothingPendingAsync("enqueue");
        await AssertNothingPendingAsync("index");
    }
}
