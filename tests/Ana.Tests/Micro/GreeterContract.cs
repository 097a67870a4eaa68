using Ana.Contracts.Infrastructure;

namespace Ana.Tests.Micro;

// A contract registered by hand, as the generator registers one: topics, signatures and version for discovery.
public interface IGreeter
{
    Task GreetAsync();
}

internal sealed class GreeterDispatcher : IContractDispatcher
{
    public ValueTask DispatchAsync(string topic, Query query, InboundContext context) => topic switch
    {
        "greet.all" => context.ReplyAsync(null),
        "default" => context.ReplyAsync(null),
        "fail" => context.ReplyErrorAsync(AnaErrorCodes.BadRequest, "No."),
        _ => context.ReplyErrorAsync(AnaErrorCodes.NotFound, $"No topic '{topic}'."),
    };
}

internal static class GreeterRegistration
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Register() => ContractRegistry.Register(new ContractDescriptor<IGreeter>(
        "greeter",
        static (_, _) => throw new NotSupportedException("Called with QueryAndWaitAsync."),
        static _ => new GreeterDispatcher(),
        ["greet.all", "default", "fail"])
    {
        Version = "3.0.0",
        Signatures = ["Task GreetAllAsync()", "Task DefaultAsync()", "Task FailAsync()"],
    });
}

internal sealed class Greeter : IGreeter
{
    public Task GreetAsync() => Task.CompletedTask;
}
