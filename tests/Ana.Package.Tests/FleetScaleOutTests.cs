using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Package.Tests;

/// <summary>
/// Scale-out across operating-system processes: three Fleet worker processes serve the scheduler contract in one queue
/// group on a real nats-server; 3,000 calls are spread over them, and one process is killed (SIGKILL, no goodbye)
/// a third of the way through. docs/reliability.md gives the pass criterion and the figures of the last run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FleetScaleOutTests(ITestOutputHelper output)
{
    private const int Calls = 3_000;
    private const int KillAfter = 1_000;
    private const int Concurrency = 32;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [NatsFact]
    public async Task Worker_processes_share_the_calls_and_the_others_answer_when_one_is_killed()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(2));
        await using NatsServer server = await NatsServer.StartAsync([], bound.Token);
        List<ChildProcess> workers = [];
        try
        {
            foreach (string name in new[] { "w1", "w2", "w3" })
            {
                workers.Add(await StartWorkerAsync(server.Url, name));
            }

            await using AgentBus caller = await AgentBus.ConnectAsync("scale-caller", new AgentBusOptions { Url = server.Url }, bound.Token);
            Outcome[] outcomes = new Outcome[Calls];
            int next = 0, completed = 0;
            long killedAt = long.MaxValue;

            async Task CallLoopAsync()
            {
                for (int n = Interlocked.Increment(ref next); n <= Calls; n = Interlocked.Increment(ref next))
                {
                    long started = Stopwatch.GetTimestamp();
                    outcomes[n - 1] = await CallAsync(caller, n, started, bound.Token);
                    if (Interlocked.Increment(ref completed) == KillAfter)
                    {
                        // Marked as soon as the kill has returned: a call started after it can no longer reach the killed
                        // process. Marked before the kill, a busy machine let that process answer calls started in between.
                        workers[2].Kill();
                        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(CallLoopAsync)));
            await workers[2].WaitForExitAsync(Patience);

            Outcome[] before = [.. outcomes.Where(o => o.Ended < killedAt)];
            Outcome[] after = [.. outcomes.Where(o => o.Started > killedAt)];
            Dictionary<string, int> shareBefore = before.Where(o => o.Worker is not null).GroupBy(o => o.Worker!).ToDictionary(g => g.Key, g => g.Count());
            Dictionary<string, int> shareAfter = after.Where(o => o.Worker is not null).GroupBy(o => o.Worker!).ToDictionary(g => g.Key, g => g.Count());
            int timedOut = outcomes.Count(o => o.TimedOut);
            output.WriteLine(
                $"before the kill: {string.Join(", ", shareBefore.OrderBy(p => p.Key).Select(p => $"{p.Key} = {p.Value}"))}; " +
                $"started after it: {string.Join(", ", shareAfter.OrderBy(p => p.Key).Select(p => $"{p.Key} = {p.Value}"))}; " +
                $"{outcomes.Count(o => o.Worker is not null)} answered, {timedOut} timed out, max latency {outcomes.Max(o => o.Latency).TotalMilliseconds:0} ms");

            Assert.All(outcomes, o => Assert.True(o.Failure is null, o.Failure));
            Assert.All(new[] { "w1", "w2", "w3" }, worker => Assert.True(
                shareBefore.GetValueOrDefault(worker) >= before.Length / 9, $"{worker} answered {shareBefore.GetValueOrDefault(worker)} of the first {before.Length}"));
            Assert.DoesNotContain("w3", shareAfter.Keys);
            Assert.True(shareAfter.GetValueOrDefault("w1") > 0 && shareAfter.GetValueOrDefault("w2") > 0, "the two others answer after the kill");

            // Only queries already on their way to the killed process may be lost: at most the calls in flight at the kill.
            Assert.True(timedOut <= Concurrency, $"{timedOut} calls timed out");
            Assert.All(outcomes, o => Assert.True(o.Latency < Deadline + Patience, $"call {o.Job} took {o.Latency.TotalMilliseconds:0} ms"));
        }
        finally
        {
            foreach (ChildProcess worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<Outcome> CallAsync(AgentBus caller, int job, long started, CancellationToken cancellationToken)
    {
        JsonElement data = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["job"] = new Dictionary<string, object> { ["id"] = job, ["name"] = $"job-{job}", ["work_ms"] = 0 },
        });
        string? worker = null, failure = null;
        bool timedOut = false;
        try
        {
            Reply? reply = await caller.QueryAndWaitAsync("scheduler", "run", "run", Deadline, data, cancellationToken: cancellationToken);
            if (reply is null)
            {
                timedOut = true;
            }
            else if (reply.Error is { } error)
            {
                failure = $"call {job}: error reply {error.Code}: {error.Message}";
            }
            else if (reply.Data is not { } result || result.GetProperty("job_id").GetInt32() != job || result.GetProperty("output").GetString() != $"job-{job} done")
            {
                failure = $"call {job} got another call's answer: {reply.Data}";
            }
            else
            {
                worker = result.GetProperty("worker").GetString();
            }
        }
        catch (Exception ex)
        {
            failure = $"call {job}: {ex.GetType().Name}: {ex.Message}";
        }

        long ended = Stopwatch.GetTimestamp();
        return new Outcome(job, started, ended, Stopwatch.GetElapsedTime(started, ended), worker, timedOut, failure);
    }

    private static async Task<ChildProcess> StartWorkerAsync(string url, string name)
    {
        ChildProcess worker = ChildProcess.Start(new ProcessStartInfo(DotNetHost.Path, [SamplePaths.Dll("Fleet"), "--nats", url, "--role", "worker", "--name", name]));
        try
        {
            await worker.WaitForStdoutAsync(line => line.StartsWith($"{name} serving", StringComparison.Ordinal), Patience);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    private sealed record Outcome(int Job, long Started, long Ended, TimeSpan Latency, string? Worker, bool TimedOut, string? Failure);
}
