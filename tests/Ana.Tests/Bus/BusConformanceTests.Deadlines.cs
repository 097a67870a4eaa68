using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>
/// Deadlines across hops and per-client, per-call options (issue 13, section 4): a call made while serving another
/// gets at most the time that call has left, unless told otherwise; timeouts set per client and per scope win over the
/// method's and the bus's.
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task A_call_made_inside_a_handler_gets_at_most_the_time_its_caller_has_left()
    {
        (AgentBus alice, TaskCompletionSource<double?> carolSaw) = await RelayAsync(propagate: true);

        Reply? reply = await alice.QueryAndWaitAsync("bob", "relay", timeout: TimeSpan.FromSeconds(2));

        Assert.Null(reply?.Error);
        double? seen = await carolSaw.Task.WaitAsync(Patience);
        Assert.InRange(seen!.Value, 0.001, 2.0);
    }

    [SuiteFact]
    public async Task A_handler_can_opt_out_of_deadline_propagation_for_a_call()
    {
        (AgentBus alice, TaskCompletionSource<double?> carolSaw) = await RelayAsync(propagate: false);

        Reply? reply = await alice.QueryAndWaitAsync("bob", "relay", timeout: TimeSpan.FromSeconds(2));

        Assert.Null(reply?.Error);
        Assert.Equal(10.0, await carolSaw.Task.WaitAsync(Patience));
    }

    [SuiteFact]
    public async Task A_call_made_after_the_served_calls_deadline_passed_is_not_sent()
    {
        AgentBus carol = await ConnectAsync("carol");
        int carolReceived = 0;
        await carol.SubscribeToMeAsync(async (_, context) =>
        {
            Interlocked.Increment(ref carolReceived);
            await context.ReplyAsync(null);
        });
        AgentBus bob = await ConnectAsync("bob");
        TaskCompletionSource<(Reply? Untyped, Exception? Typed)> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            // Past this call's deadline (but not cancelled by it): whatever it calls now, nobody waits for.
            while (AnaCallContext.Current!.Deadline > DateTimeOffset.UtcNow)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            Reply? untyped = await bob.QueryAndWaitAsync("carol", "late", timeout: TimeSpan.FromSeconds(10));
            Exception? typed = await Record.ExceptionAsync(() => bob.Client<Contracts.ICalculator>("carol").AddAsync(1, 2));
            outcome.TrySetResult((untyped, typed));
        });
        AgentBus alice = await ConnectAsync("alice");

        await alice.QueryAndWaitAsync("bob", "go", timeout: TimeSpan.FromMilliseconds(300));
        (Reply? untypedReply, Exception? typedFailure) = await outcome.Task.WaitAsync(Patience);

        Assert.Null(untypedReply);
        Assert.IsType<AnaTimeoutException>(typedFailure);
        Assert.Equal(0, Volatile.Read(ref carolReceived));
    }

    [SuiteFact]
    public async Task A_timeout_set_for_a_client_or_a_scope_is_the_one_sent()
    {
        AgentBus bob = await ConnectAsync("bob");
        List<double?> seen = [];
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            lock (seen)
            {
                seen.Add(((Query)envelope).TimeoutSeconds);
            }

            await context.ReplyAsync(System.Text.Json.JsonSerializer.SerializeToElement(3L, Contracts.CalculatorJson.Default.Int64));
        });
        AgentBus alice = await ConnectAsync("alice");
        Contracts.ICalculator client = alice.Client<Contracts.ICalculator>("bob", new AnaCallOptions { Timeout = TimeSpan.FromSeconds(3) });

        await client.AddAsync(1, 2);
        using (AnaCallOptions.Scope(new AnaCallOptions { Timeout = TimeSpan.FromSeconds(4) }))
        {
            await client.AddAsync(1, 2);
        }

        await alice.Client<Contracts.ICalculator>("bob").AddAsync(1, 2);

        lock (seen)
        {
            Assert.Equal([3.0, 4.0, Options.DefaultTimeout.TotalSeconds], seen);
        }
    }

    /// <summary>alice → bob → carol: bob's handler calls carol with a 10 s timeout, propagating its deadline or not; carol reports the <c>timeout_s</c> she got.</summary>
    private async Task<(AgentBus Alice, TaskCompletionSource<double?> CarolSaw)> RelayAsync(bool propagate)
    {
        AgentBus carol = await ConnectAsync("carol");
        TaskCompletionSource<double?> carolSaw = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await carol.SubscribeToMeAsync(async (envelope, context) =>
        {
            carolSaw.TrySetResult(((Query)envelope).TimeoutSeconds);
            await context.ReplyAsync(null);
        });
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (envelope, context) =>
        {
            using (propagate ? null : AnaCallOptions.Scope(new AnaCallOptions { PropagateDeadline = false }))
            {
                Reply? fromCarol = await bob.QueryAndWaitAsync("carol", "relayed", timeout: TimeSpan.FromSeconds(10));
                await context.ReplyAsync(fromCarol?.Data);
            }
        });
        return (await ConnectAsync("alice"), carolSaw);
    }
}
