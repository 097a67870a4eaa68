using System.Reflection;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Compatibility;

/// <summary>
/// The classification of ANA034 proven on the wire: a contract and its compatible successor (a new topic, a new optional
/// argument, a new optional member in an argument and in a result, a new enum member in an argument), compiled into two
/// assemblies, each side served by one and called by the other over <c>memory://</c>. Old callers of the new server
/// work unchanged; new callers of the old server work for what the old one knows, and are refused what it does not
/// (the new topic, the new enum value): those changes are additive for old callers only.
/// </summary>
public sealed class WireCompatibilityTests
{
    private const string Version1 = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana;
        using Ana.Contracts;

        namespace Demo;

        [AnaAgent("wire-shop")]
        public partial interface IShop
        {
            Task<Receipt> OrderAsync(Order order, int quantity);

            Task<string> EchoSizeAsync(Size size);
        }

        public sealed record Order(string Item)
        {
        }

        public enum Size { Small, Large }

        public sealed record Receipt(string Id)
        {
        }

        public sealed class Shop : IShop
        {
            public Task<Receipt> OrderAsync(Order order, int quantity) => Task.FromResult(new Receipt($"v1:{order.Item}x{quantity}"));

            public Task<string> EchoSizeAsync(Size size) => Task.FromResult("v1:" + size);
        }

        public static class Scenario
        {
            public static async Task<IAsyncDisposable> ServeAsync(string url)
            {
                AgentBus bus = await AgentBus.ConnectAsync("shop-server", new AgentBusOptions { Url = url });
                AgentSubscription serving = await bus.ServeAsync<IShop>(new Shop(), new ServeOptions { Announce = false });
                return new Stop(serving, bus);
            }

            public static async Task<string> CallAsync(string url)
            {
                await using AgentBus bus = await AgentBus.ConnectAsync("old-caller", new AgentBusOptions { Url = url });
                IShop shop = bus.Client<IShop>();
                Receipt receipt = await shop.OrderAsync(new Order("tea"), 2);
                return $"order: {receipt.Id}\nsize: {await shop.EchoSizeAsync(Size.Large)}";
            }

            private sealed class Stop(AgentSubscription serving, AgentBus bus) : IAsyncDisposable
            {
                public async ValueTask DisposeAsync()
                {
                    await serving.DisposeAsync();
                    await bus.DisposeAsync();
                }
            }
        }
        """;

    private static readonly string Version2 = Version1
        .Replace("Task<Receipt> OrderAsync(Order order, int quantity);", "Task<Receipt> OrderAsync(Order order, int quantity, bool rush = false);\n\n    Task<int> CountAsync();", StringComparison.Ordinal)
        .Replace("public sealed record Order(string Item)\n{\n}", "public sealed record Order(string Item)\n{\n    public string? Wrapping { get; init; }\n}", StringComparison.Ordinal)
        .Replace("public enum Size { Small, Large }", "public enum Size { Small, Large, Huge }", StringComparison.Ordinal)
        .Replace("public sealed record Receipt(string Id)\n{\n}", "public sealed record Receipt(string Id)\n{\n    public string? Clerk { get; init; }\n}", StringComparison.Ordinal)
        .Replace(
            "public Task<Receipt> OrderAsync(Order order, int quantity) => Task.FromResult(new Receipt($\"v1:{order.Item}x{quantity}\"));",
            "public Task<Receipt> OrderAsync(Order order, int quantity, bool rush) => Task.FromResult(new Receipt($\"v2:{order.Item}x{quantity} rush={rush} wrapping={order.Wrapping ?? \"none\"}\") { Clerk = \"ann\" });\n\n    public Task<int> CountAsync() => Task.FromResult(7);",
            StringComparison.Ordinal)
        .Replace("\"v1:\" + size", "\"v2:\" + size", StringComparison.Ordinal)
        .Replace("\"old-caller\"", "\"new-caller\"", StringComparison.Ordinal)
        .Replace(
            "Receipt receipt = await shop.OrderAsync(new Order(\"tea\"), 2);\n        return $\"order: {receipt.Id}\\nsize: {await shop.EchoSizeAsync(Size.Large)}\";",
            """
            Receipt receipt = await shop.OrderAsync(new Order("tea") { Wrapping = "gift" }, 2, rush: true);
                    return $"order: {receipt.Id} clerk={receipt.Clerk ?? "none"}\nsize: {await shop.EchoSizeAsync(Size.Large)}\nhuge: {await Try(() => shop.EchoSizeAsync(Size.Huge))}\ncount: {await Try(async () => (await shop.CountAsync()).ToString())}";
                }

                private static async Task<string> Try(Func<Task<string>> call)
                {
                    try
                    {
                        return await call();
                    }
                    catch (AnaRemoteException e)
                    {
                        return e.Code;
                    }
            """,
            StringComparison.Ordinal);

    [Fact]
    public void The_successor_differs_from_the_contract_only_compatibly_for_old_callers()
    {
        Assert.NotEqual(Version1, Version2);
        Assert.Contains("rush = false", Version2, StringComparison.Ordinal);
        Assert.Contains("catch (AnaRemoteException e)", Version2, StringComparison.Ordinal);

        string baseline = Baselines.Record(Version1, "Demo.IShop");

        Diagnostic compatible = Assert.Single(GeneratorHarness.Run(Version2, [("/src/Demo.IShop.ana.json", baseline)]).Diagnostics);
        Assert.Equal("ANA034", compatible.Id);
        string message = compatible.GetMessage();
        Assert.StartsWith("The contract 'IShop' changed compatibly since its baseline: ", message, StringComparison.Ordinal);
        foreach (string change in (string[])[
            "member 'order.wrapping' added to the arguments of 'order'",
            "optional argument 'rush' added to 'order'",
            "member 'clerk' added to the result of 'order'",
            "the member 'huge' added to 'size' in the arguments of 'echo_size'",
            "topic 'count' added"])
        {
            Assert.Contains(change, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_old_caller_of_the_new_server_works_unchanged()
    {
        (Assembly old, Assembly next) = Load();
        string report = await ServeAndCallAsync(server: next, caller: old);
        Assert.Equal("order: v2:teax2 rush=False wrapping=none\nsize: v2:Large", report);
    }

    [Fact]
    public async Task A_new_caller_of_the_old_server_works_for_what_the_old_server_knows_and_is_refused_the_rest()
    {
        (Assembly old, Assembly next) = Load();
        string report = await ServeAndCallAsync(server: old, caller: next);

        // The old server ignores the argument and the member it does not know, and its result lacks the new member.
        Assert.Equal("order: v1:teax2 clerk=none\nsize: v1:Large\nhuge: bad_request\ncount: not_found", report);
    }

    private static async Task<string> ServeAndCallAsync(Assembly server, Assembly caller)
    {
        string url = "memory://wire-" + Guid.NewGuid().ToString("N");
        await using IAsyncDisposable serving = await (Task<IAsyncDisposable>)Scenario(server, "ServeAsync").Invoke(null, [url])!;
        return await ((Task<string>)Scenario(caller, "CallAsync").Invoke(null, [url])!).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static MethodInfo Scenario(Assembly assembly, string method) => assembly.GetType("Demo.Scenario", throwOnError: true)!.GetMethod(method)!;

    /// <summary>Both versions, each compiled with the generator into an assembly of its own, loaded side by side.</summary>
    private static (Assembly Old, Assembly Next) Load()
    {
        GeneratorRun old = GeneratorHarness.Run(Version1);
        GeneratorRun next = GeneratorHarness.Run(Version2);
        Assert.Empty(old.Diagnostics);
        Assert.Empty(next.Diagnostics);
        return (GeneratedAssembly.Load(old), GeneratedAssembly.Load(next));
    }
}
