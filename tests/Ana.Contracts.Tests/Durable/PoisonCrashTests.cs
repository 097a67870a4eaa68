using System.Diagnostics;
using Ana.Testing.Processes;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Durable;

/// <summary>
/// Issue 16, "Poison message": a message whose handler brings its worker process down (here: the test kills the worker
/// that runs it) is delivered again after each death, and once delivered more than its method's attempts
/// (<c>FlakyAsync</c>: 3) it is parked without running again, while 500 other messages keep flowing.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PoisonCrashTests(ITestOutputHelper output) : DurableTestsBase
{
    private const int Others = 500;
    private const int Poison = 99_999;
    private const int MaxAttempts = 3; // [AnaDurable(MaxAttempts = 3)] on IIndexer.FlakyAsync

    [OwnNatsServerFact]
    public async Task A_message_that_kills_its_worker_is_parked_after_its_attempts_while_the_others_flow()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(3));
        List<ChildProcess> workers = [await DurableWorkers.StartAsync(Server.Url, Prefix, "w1"), await DurableWorkers.StartAsync(Server.Url, Prefix, "w2")];
        List<string> died = [];
        try
        {
            AgentBus producer = await ConnectAsync("producer");
            IIndexer client = producer.Client<IIndexer>();
            Stopwatch run = Stopwatch.StartNew();
            for (int i = 0; i < Others; i++)
            {
                await client.EnqueueAsync(new Document(i, "other"), bound.Token);
                if (i == Others / 5)
                {
                    await client.FlakyAsync(new Document(Poison, "poison"));
                }
            }

            // Whichever worker starts the poison dies, and a new one takes its place.
            ParkedMessage? parked = null;
            int started = 2;
            while (parked is null)
            {
                Assert.False(bound.IsCancellationRequested, $"not parked within the bound; {died.Count} workers died");
                if (workers.FirstOrDefault(w => !w.HasExited && w.StdoutLines.Any(line => line.StartsWith($"run {Poison} ", StringComparison.Ordinal))) is { } victim)
                {
                    victim.Kill();
                    await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    died.Add(victim.StdoutLines.Last(line => line.StartsWith($"run {Poison} ", StringComparison.Ordinal)));
                    workers.Add(await DurableWorkers.StartAsync(Server.Url, Prefix, $"w{++started}"));
                }

                await foreach (ParkedMessage message in producer.DurableWork.ListParkedAsync("indexer", bound.Token))
                {
                    parked = message;
                }

                await Task.Delay(50, bound.Token);
            }

            await WaitUntilAsync(() => RunIds(workers).IsSupersetOf(Enumerable.Range(0, Others)), TimeSpan.FromSeconds(60));
            output.WriteLine(
                $"the poison killed {died.Count} workers ({string.Join(", ", died)}), then was parked after {parked.Attempts} deliveries " +
                $"({parked.ErrorCode}: {parked.Error}) {run.Elapsed.TotalSeconds:0.0} s after the first message; {Others} others processed meanwhile");

            Assert.Equal(MaxAttempts, died.Count);
            Assert.Equal(Enumerable.Range(1, MaxAttempts).Select(a => $"run {Poison} {a}"), died);
            Assert.Equal((MaxAttempts + 1, AnaErrorCodes.Parked, $"{Prefix}.indexer.work.flaky"), (parked.Attempts, parked.ErrorCode, parked.OriginalSubject));
            Assert.DoesNotContain(workers, w => w.StdoutLines.Contains($"run {Poison} {MaxAttempts + 1}"));
            await AssertNothingPendingAsync("flaky");
            await AssertNothingPendingAsync("enqueue");
        }
        finally
        {
            foreach (ChildProcess worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    /// <summary>The document ids the workers started a run for (<c>run &lt;id&gt; &lt;attempt&gt;</c>).</summary>
    private static HashSet<int> RunIds(List<ChildProcess> workers)
        => [.. workers.SelectMany(w => w.StdoutLines).Where(line => line.StartsWith("run ", StringComparison.Ordinal)).Select(line => int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))];
}
