// EchoBot: the minimal responder. It serves the IEcho contract as the agent "echo".
//   dotnet run --project samples/EchoBot                          memory://: serves and calls itself (self-test), then exits
//   dotnet run --project samples/EchoBot -- --nats nats://127.0.0.1:4222   serves until Ctrl+C
//   probe it:  dotnet run --project samples/SendQuery -- --nats nats://127.0.0.1:4222 --to echo --topic echo --data '{"text":"hi"}'
using System.Diagnostics;
using Ana;
using Ana.Contracts;
using EchoBot;

string url = "memory://echo";
string name = "echo";
bool selfTest = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--nats" when i + 1 < args.Length: url = args[++i]; break;
        case "--name" when i + 1 < args.Length: name = args[++i]; break;
        case "--self-test": selfTest = true; break;
        default:
            Console.Error.WriteLine("usage: EchoBot [--nats URL] [--name AGENT] [--self-test]");
            return 2;
    }
}

// Nobody outside this process can reach an in-process broker: there, the bot shows itself.
selfTest |= url.StartsWith("memory://", StringComparison.Ordinal);
AgentBusOptions options = new() { Url = url };

await using AgentBus bus = await AgentBus.ConnectAsync(name, options);
await using AgentSubscription serving = await bus.ServeAsync<IEcho>(new Echo(name), new ServeOptions { Agent = name });
Console.WriteLine($"{name} serving IEcho on {url}");

if (selfTest)
{
    await using AgentBus caller = await AgentBus.ConnectAsync("echo-self-test", options);
    IEcho echo = caller.Client<IEcho>(name);
    EchoReply reply = await echo.EchoAsync("hello");
    Console.WriteLine($"echo(\"hello\") -> \"{reply.Text}\" from {reply.By} (#{reply.Count})");
    BotStatus status = await echo.StatusAsync();
    Console.WriteLine($"status() -> {status.Name} answered {status.Answered} quer{(status.Answered == 1 ? "y" : "ies")}, up {status.Uptime.TotalMilliseconds:0} ms");
    return 0;
}

using CancellationTokenSource stop = new();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;

namespace EchoBot
{
    /// <summary>The echo agent's contract: two topics, "echo" and "status".</summary>
    [AnaAgent("echo")]
    public partial interface IEcho
    {
        /// <summary>Returns <paramref name="text"/>; data <c>{"text": "..."}</c> on topic <c>echo</c>.</summary>
        Task<EchoReply> EchoAsync(string text, CancellationToken cancellationToken = default);

        /// <summary>Who is answering and how many queries it has answered.</summary>
        Task<BotStatus> StatusAsync();
    }

    public sealed record EchoReply(string Text, string By, long Count);

    public sealed record BotStatus(string Name, long Answered, TimeSpan Uptime);

    internal sealed class Echo(string name) : IEcho
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _answered;

        public Task<EchoReply> EchoAsync(string text, CancellationToken cancellationToken) =>
            Task.FromResult(new EchoReply(text, name, Interlocked.Increment(ref _answered)));

        public Task<BotStatus> StatusAsync() =>
            Task.FromResult(new BotStatus(name, Interlocked.Read(ref _answered), Stopwatch.GetElapsedTime(_started)));
    }
}
