using System.Text.Json;
using System.Text.Json.Serialization;
using Ana.Contracts;
using Ana.Contracts.Infrastructure;

namespace Ana.Tests.Contracts;

// A contract's client and dispatcher written by hand, over the JSON-document API that hand-written code uses (generated
// code writes its arguments and results in place instead): it pins that API.
public interface ICalculator
{
    Task<long> AddAsync(int a, long b, CancellationToken cancellationToken = default);

    Task<string?> EchoAsync(string? text);

    Task WaitAsync(int milliseconds, CancellationToken cancellationToken = default);

    Task NotifyAsync(string note);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class CalculatorJson : JsonSerializerContext;

internal sealed class CalculatorClient(AgentBus bus, string agent) : ContractClient(bus, agent), ICalculator
{
    public async Task<long> AddAsync(int a, long b, CancellationToken cancellationToken = default)
    {
        JsonElement arguments;
        using (ContractArgumentsWriter writer = new())
        {
            writer.Write("a", a, CalculatorJson.Default.Int32);
            writer.Write("b", b, CalculatorJson.Default.Int64);
            arguments = writer.ToData();
        }

        JsonElement? data = (await InvokeAsync("add", arguments, null, cancellationToken).ConfigureAwait(false)).Data;
        return ReadResult(data, CalculatorJson.Default.Int64, "add", allowNull: false);
    }

    public async Task<string?> EchoAsync(string? text)
    {
        JsonElement arguments;
        using (ContractArgumentsWriter writer = new())
        {
            writer.Write("text", text, CalculatorJson.Default.String);
            arguments = writer.ToData();
        }

        JsonElement? data = (await InvokeAsync("echo", arguments, null, default).ConfigureAwait(false)).Data;
        return ReadResult(data, CalculatorJson.Default.String, "echo", allowNull: true);
    }

    public async Task WaitAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        JsonElement arguments;
        using (ContractArgumentsWriter writer = new())
        {
            writer.Write("milliseconds", milliseconds, CalculatorJson.Default.Int32);
            arguments = writer.ToData();
        }

        await InvokeAsync("wait", arguments, TimeSpan.FromSeconds(0.5), cancellationToken).ConfigureAwait(false);
    }

    public async Task NotifyAsync(string note)
    {
        JsonElement arguments;
        using (ContractArgumentsWriter writer = new())
        {
            writer.Write("note", note, CalculatorJson.Default.String);
            arguments = writer.ToData();
        }

        await SendAsync("notify", arguments, default).ConfigureAwait(false);
    }
}

internal sealed class CalculatorDispatcher(ICalculator implementation) : IContractDispatcher
{
    public ValueTask DispatchAsync(string topic, Query query, InboundContext context) => topic switch
    {
        "add" => AddAsync(query, context),
        "echo" => EchoAsync(query, context),
        "wait" => WaitAsync(query, context),
        "notify" => NotifyAsync(query, context),
        _ => context.ReplyErrorAsync(AnaErrorCodes.NotFound, $"No topic '{topic}'."),
    };

    private async ValueTask AddAsync(Query query, InboundContext context)
    {
        int a = ContractArguments.ReadRequired(query.Data, "a", CalculatorJson.Default.Int32);
        long b = ContractArguments.ReadRequired(query.Data, "b", CalculatorJson.Default.Int64);
        long result = await implementation.AddAsync(a, b, context.CancellationToken).ConfigureAwait(false);
        await context.ReplyAsync(ContractArguments.ToData(result, CalculatorJson.Default.Int64)).ConfigureAwait(false);
    }

    private async ValueTask EchoAsync(Query query, InboundContext context)
    {
        string? text = ContractArguments.ReadOptional(query.Data, "text", CalculatorJson.Default.String, null);
        string? result = await implementation.EchoAsync(text).ConfigureAwait(false);
        await context.ReplyAsync(ContractArguments.ToData(result, CalculatorJson.Default.String)).ConfigureAwait(false);
    }

    private async ValueTask WaitAsync(Query query, InboundContext context)
    {
        int milliseconds = ContractArguments.ReadRequired(query.Data, "milliseconds", CalculatorJson.Default.Int32);
        await implementation.WaitAsync(milliseconds, context.CancellationToken).ConfigureAwait(false);
        await context.ReplyAsync(null).ConfigureAwait(false);
    }

    private async ValueTask NotifyAsync(Query query, InboundContext context)
    {
        string note = ContractArguments.ReadRequired(query.Data, "note", CalculatorJson.Default.String);
        await implementation.NotifyAsync(note).ConfigureAwait(false);
    }
}

internal static class CalculatorRegistration
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Register() => ContractRegistry.Register(new ContractDescriptor<ICalculator>(
        "calculator",
        static (bus, agent) => new CalculatorClient(bus, agent),
        static implementation => new CalculatorDispatcher(implementation)));
}
