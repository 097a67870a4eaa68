using System.Diagnostics;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>Issue 6, faults: a slow handler under a flood, a handler that never returns, returns null, or throws.</summary>
public sealed class HandlerFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [OwnNatsServerFact]
    [Trait("Category", "Slow")]
    public async Task A_slow_handler_under_a_flood_keeps_its_concurrency_bound_and_every_call_ends_typed()
    {
        const int MaxConcurrency = 4;
        const int Flood = 400;
        const int HandlerMs = 50;
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(1));
        await using NatsServer nats = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.flood" };
        Worker worker = new("slow");
        await using AgentBus server = await AgentBus.ConnectAsync("slow", options);
        await using AgentSubscription serving = await server.ServeAsync<IWorker>(worker, new ServeOptions { MaxConcurrency = MaxConcurrency });
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options);
        IWorker client = caller.Client<IWorker>();

        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        // All at once: far more than the handler can take within the 2 s deadline (4 x 20 per second).
        CallRun run = await CallRun.RunAsync(
            Flood,
            Flood,
            TimeSpan.FromSeconds(2),
            async i => await client.SleepAsync(HandlerMs, i) == i).WaitAsync(bound.Token);
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"Flood of {Flood} calls on a {HandlerMs} ms handler, MaxConcurrency {MaxConcurrency}: {run}");
        output.WriteLine($"Handler ran at most {worker.MaxRunning} at once; managed heap {memoryBefore / 1024} KiB before, {memoryAfter / 1024} KiB after");

        Assert.Equal(Flood, run.Completed);
        Assert.Empty(run.Misdelivered);
        Assert.True(run.Unexpected.IsEmpty, string.Join(Environment.NewLine, run.Unexpected.Take(20)));
        Assert.InRange(worker.MaxRunning, 1, MaxConcurrency);
        Assert.True(run.Succeeded > 0);

        // Beyond the 4 running and the 16 queued (the default queue, four times the concurrency), calls are refused at
        // once as overloaded instead of waiting for a deadline they cannot meet.
        Assert.True(run.Overloaded > 0, "no call was refused as overloaded");
        Assert.Equal(Flood, run.Succeeded + run.TimedOut + run.Overloaded);
        Assert.True(memoryAfter - memoryBefore < 64L * 1024 * 1024, $"heap grew by {(memoryAfter - memoryBefore) / 1024} KiB");

        // The server keeps serving: the excess queued in the subscription's bounded buffer drains, then a call succeeds.
        Stopwatch drain = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.Equal(Worker.Expected(7, "after"), await client.EchoAsync(7, "after", bound.Token));
                break;
            }
            catch (AnaTimeoutException)
            {
            }
        }

        output.WriteLine($"First call after the flood answered after {drain.ElapsedMilliseconds} ms (stale queued calls drain first); server statistics: {server.Statistics}");
    }

    [OwnNatsServerFact]
    public async Task A_handler_that_hangs_returns_null_or_throws_gives_a_typed_error_and_the_server_keeps_serving()
    {
        await using NatsServer nats = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.faults" };
        Worker worker = new("w");
        await using AgentBus server = await AgentBus.ConnectAsync("w", options);
        await using AgentSubscription serving = await server.ServeAsync<IWorker>(worker, new ServeOptions { MaxConcurrency = 2 });
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options);
        IWorker client = caller.Client<IWorker>();

        for (int round = 0; round < 3; round++)
        {
            // Never returns: the caller times out at its deadline (not before it, and without hanging), the handler's
            // token is cancelled, its slot is freed.
            Stopwatch watch = Stopwatch.StartNew();
            AnaTimeoutException timeout = await Assert.ThrowsAsync<AnaTimeoutException>(() => client.HangAsync().WaitAsync(Patience));
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.4), $"timed out after {watch.Elapsed}, well before the 0.5 s deadline");
            Assert.Equal(TimeSpan.FromSeconds(0.5), timeout.Timeout);
            Assert.Equal("hang", timeout.Topic);

            AnaRemoteException nullResult = await Assert.ThrowsAsync<AnaRemoteException>(() => client.NullAsync());
            Assert.Equal(AnaErrorCodes.Internal, nullResult.Code);

            AnaRemoteException thrown = await Assert.ThrowsAsync<AnaRemoteException>(() => client.ThrowAsync("secret detail"));
            Assert.Equal(AnaErrorCodes.Internal, thrown.Code);
            Assert.DoesNotContain("secret detail", thrown.Message, StringComparison.Ordinal);

            // With MaxConcurrency 2, three hung handlers that were not cancelled would block this call.
            Assert.Equal(Worker.Expected(round, "ok"), await client.EchoAsync(round, "ok"));
        }

        Assert.True(await worker.HangCancelled.Task.WaitAsync(Patience));
        output.WriteLine($"3 rounds of hang/null/throw, then a good call each: server statistics {server.Statistics}");
    }
}
