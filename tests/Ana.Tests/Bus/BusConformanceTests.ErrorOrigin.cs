using Ana.Testing.Skipping;

namespace Ana.Tests.Bus;

/// <summary>
/// Where an error came from (issue 13, section 4): an error that crossed several calls keeps its code and message and
/// says where it was raised and which calls it came back through, instead of nesting one agent's text in another's.
/// </summary>
public abstract partial class BusConformanceTests
{
    [SuiteFact]
    public async Task An_error_raised_two_calls_away_keeps_its_code_and_says_where_it_came_from()
    {
        AgentBus carol = await ConnectAsync("carol");
        await carol.SubscribeToMeAsync((_, _) => throw new AnaException("quota_exceeded", "carol says no"));
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync(async (_, context) =>
        {
            // bob's own call fails; the exception escapes bob's handler as it is.
            long sum = await bob.Client<Contracts.ICalculator>("carol").AddAsync(1, 2);
            await context.ReplyAsync(System.Text.Json.JsonSerializer.SerializeToElement(sum, Contracts.CalculatorJson.Default.Int64));
        });
        AgentBus alice = await ConnectAsync("alice");

        AnaRemoteException failure = await Assert.ThrowsAsync<AnaRemoteException>(() => alice.Client<Contracts.ICalculator>("bob").AddAsync(3, 4));

        Assert.Equal("bob", failure.Agent);
        Assert.Equal("quota_exceeded", failure.Code);
        Assert.Equal("carol says no", failure.RemoteMessage);
        Assert.Equal("carol", failure.Origin?.Agent);
        Assert.Equal("add", failure.Origin?.Topic);
        Assert.False(string.IsNullOrEmpty(failure.Origin?.RequestId));
        ErrorOrigin hop = Assert.Single(failure.Via)!;
        Assert.Equal("bob", hop.Agent);
        Assert.Equal("add", hop.Topic);
        Assert.NotEqual(failure.Origin!.RequestId, hop.RequestId);
    }

    [SuiteFact]
    public async Task An_error_raised_by_the_agent_called_has_it_as_origin_and_no_hops()
    {
        AgentBus bob = await ConnectAsync("bob");
        await bob.SubscribeToMeAsync((_, _) => throw new AnaException("nope", "bob says no"));
        AgentBus alice = await ConnectAsync("alice");

        Reply? reply = await alice.QueryAndWaitAsync("bob", "q", topic: "ask", timeout: Patience);

        Assert.Equal("nope", reply?.Error?.Code);
        Assert.Equal("bob", reply!.Error!.Origin?.Agent);
        Assert.Equal("ask", reply.Error.Origin?.Topic);
        Assert.Equal(reply.RequestId, reply.Error.Origin?.RequestId);
        Assert.Null(reply.Error.Via);
    }
}
