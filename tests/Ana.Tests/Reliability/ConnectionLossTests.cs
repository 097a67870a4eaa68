using System.Collections.Concurrent;
using System.Text.Json;
using Ana.Testing.Nats;
using Ana.Testing.Skipping;
using Xunit.Abstractions;

namespace Ana.Tests.Reliability;

/// <summary>
/// Issue 10, defect 3: a call nobody cancelled ends with its result or a typed error, never with a bare
/// <see cref="OperationCanceledException"/>, even when the connection drops while the call sets up its reply subject.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ConnectionLossTests(ITestOutputHelper output)
{
    private const int Restarts = 6;
    private const int CallsPerRestart = 40;

    [OwnNatsServerFact]
    public async Task A_bus_reports_reconnecting_while_its_server_is_down_and_connected_once_it_is_back()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(2));
        await using NatsServer nats = await NatsServer.StartAsync();
        await using AgentBus bus = await AgentBus.ConnectAsync("state", new AgentBusOptions { Url = nats.Url, Prefix = "rel.state" });
        Assert.Equal(AgentBusConnectionState.Connected, bus.ConnectionState);

        await nats.StopAsync(bound.Token);
        await WaitForAsync(() => bus.ConnectionState == AgentBusConnectionState.Reconnecting, bound.Token);
        await nats.StartAgainAsync(bound.Token);
        await WaitForAsync(() => bus.ConnectionState == AgentBusConnectionState.Connected, bound.Token);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    [OwnNatsServerFact]
    public async Task Calls_to_new_topics_while_the_server_restarts_end_typed_never_as_a_cancellation()
    {
        using CancellationTokenSource bound = new(TimeSpan.FromMinutes(3));
        await using NatsServer nats = await NatsServer.StartAsync();
        AgentBusOptions options = new() { Url = nats.Url, Prefix = "rel.loss", DefaultTimeout = TimeSpan.FromSeconds(2) };
        await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
        await using AgentSubscription serving = await bob.SubscribeToMeAsync(
            (envelope, context) => context.ReplyAsync(JsonSerializer.SerializeToElement(((Query)envelope).Text)));
        await using AgentBus alice = await AgentBus.ConnectAsync("alice", options);

        ConcurrentDictionary<string, int> outcomes = new();
        int topic = 0;
        for (int restart = 0; restart < Restarts; restart++)
        {
            // Every call names a topic never called before, so each one subscribes to a new reply subject.
            Task[] calls = [.. Enumerable.Range(0, CallsPerRestart).Select(_ => CallAsync(Interlocked.Increment(ref topic)))];
            await Task.Delay(restart * 5, bound.Token);
            await nats.StopAsync(bound.Token);
            await Task.Delay(300, bound.Token);
            await nats.StartAgainAsync(bound.Token);
            await Task.WhenAll(calls).WaitAsync(bound.Token);
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
        Assert.Equal(Restarts * CallsPerRestart, outcomes.Values.Sum());
        Assert.DoesNotContain(outcomes.Keys, k => k.StartsWith("untyped", StringComparison.Ordinal));

        // After the last restart the bus serves again by itself.
        Reply? after = await CallUntilAnsweredAsync(alice, bound.Token);
        Assert.Equal("after", after.Data!.Value.GetString());

        async Task CallAsync(int n)
        {
            string outcome;
            try
            {
                Reply? reply = await alice.QueryAndWaitAsync("bob", $"call {n}", $"t{n}");
                outcome = reply is null ? "timed out" : reply.Data?.GetString() == $"call {n}" ? "answered" : "untyped: misdelivered";
            }
            catch (Exception ex) when (ex is AnaConnectionException or AnaNoRespondersException)
            {
                outcome = ex.GetType().Name;
            }
            catch (Exception ex)
            {
                outcome = "untyped: " + ex.GetType().Name;
            }

            outcomes.AddOrUpdate(outcome, 1, static (_, count) => count + 1);
        }
    }

    private static async Task<Reply> CallUntilAnsweredAsync(AgentBus alice, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await alice.QueryAndWaitAsync("bob", "after", "after", cancellationToken: cancellationToken) is { } reply)
                {
                    return reply;
                }
            }
            catch (Exception ex) when (ex is AnaConnectionException or AnaNoRespondersException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
