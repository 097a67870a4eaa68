using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Contracts.Tests.Reliability;

/// <summary>Issue 6, faults: nats-server killed and started again on the same port while typed calls are in flight.</summary>
[Trait("Category", "Slow")]
public sealed class RestartUnderLoadTests(ITestOutputHelper output)
{
    private const int Calls = 1_000;
    private const int Concurrency = 32;
    private const int Restarts = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2); // [AnaTimeout(2)] on EchoAsync

    [OwnNatsServerFact]
    public async Task Calls_during_restarts_complete_or_fail_typed_within_their_deadline_and_serving_resumes_by_itself()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(2));
        await using NatsServer nats = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.restart" };
        Worker worker = new("w1");
        await using AgentBus server = await AgentBus.ConnectAsync("w1", options);
        await using AgentSubscription serving = await server.ServeAsync<IWorker>(worker);
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options);
        IWorker client = caller.Client<IWorker>();

        // The restarts: each when a share of the calls has completed, the server down for half a second.
        TaskCompletionSource[] due = [.. Enumerable.Range(0, Restarts).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        int restarted = 0;
        Task restarts = Task.Run(
            async () =>
            {
                foreach (TaskCompletionSource d in due)
                {
                    await d.Task.WaitAsync(bound.Token);
                    await nats.StopAsync(bound.Token);
                    await Task.Delay(500, bound.Token);
                    await nats.StartAgainAsync(bound.Token);
                    Interlocked.Increment(ref restarted);
                }
            },
            bound.Token);

        CallRun load = await CallRun.RunAsync(
            Calls,
            Concurrency,
            Deadline,
            async i => await client.EchoAsync(i, "load") == Worker.Expected(i, "load"),
            run =>
            {
                // Restart k when k+1 tenths... spread over the run: after 150 and after 400 completed calls.
                if (run.Completed == 150)
                {
                    due[0].TrySetResult();
                }
                else if (run.Completed == 400)
                {
                    due[1].TrySetResult();
                }
            }).WaitAsync(bound.Token);
        foreach (TaskCompletionSource d in due)
        {
            d.TrySetResult(); // if the run ended early, still restart so that the count below is honest
        }

        await restarts.WaitAsync(bound.Token);
        output.WriteLine($"During {restarted} restarts: {load}");

        Assert.Equal(Restarts, restarted);
        Assert.Equal(Calls, load.Completed);
        Assert.Empty(load.Misdelivered);
        Assert.True(load.Unexpected.IsEmpty, string.Join(Environment.NewLine, load.Unexpected.Take(20)));
        Assert.True(load.Succeeded > 0);

        // Serving resumes without user code: no re-serve, no re-connect. Wait (bounded) for both buses to be back.
        int probes = 0;
        while (true)
        {
            probes++;
            try
            {
                Assert.Equal(Worker.Expected(-1, "probe"), await client.EchoAsync(-1, "probe", bound.Token));
                break;
            }
            catch (Exception ex) when (ex is AnaTimeoutException or AnaNoRespondersException && !bound.IsCancellationRequested)
            {
                await Task.Delay(100, bound.Token);
            }
        }

        CallRun after = await CallRun.RunAsync(
            Calls,
            Concurrency,
            Deadline,
            async i => await client.EchoAsync(i, "after") == Worker.Expected(i, "after")).WaitAsync(bound.Token);
        output.WriteLine($"After the restarts ({probes} probe call(s) until both sides were back): {after}");
        output.WriteLine($"Server handled {worker.ServedCount} calls; caller statistics: {caller.Statistics}; server statistics: {server.Statistics}");

        Assert.Equal(Calls, after.Succeeded);
        Assert.Empty(after.Misdelivered);
        Assert.Empty(after.Unexpected);
    }
}
