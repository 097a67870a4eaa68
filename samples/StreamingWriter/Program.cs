// StreamingWriter: a writer agent streams its draft token by token to a caller that prints as it goes, and a planner
// reports its progress while it works.
//   dotnet run --project samples/StreamingWriter                          memory://: both agents and the caller in one process
//   dotnet run --project samples/StreamingWriter -- --stop-after 6        the caller stops reading early: the writer stops too
// Across processes on a real server: start the agents, then the caller.
//   dotnet run --project samples/StreamingWriter -- --nats nats://127.0.0.1:4222 --role agents
//   dotnet run --project samples/StreamingWriter -- --nats nats://127.0.0.1:4222 --role caller --prompt "a haiku"
//   ana --nats nats://127.0.0.1:4222 send query --to writer --topic draft --data '{"prompt": "NATS"}' --stream
using System.Diagnostics;
using Ana;
using StreamingWriter;

string url = "memory://streaming-writer";
string role = "all";
string prompt = "a typed stream";
int? stopAfter = null;
int pauseMs = 20;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--nats" when hasValue: url = args[++i]; break;
        case "--role" when hasValue && args[i + 1] is "all" or "agents" or "caller": role = args[++i]; break;
        case "--prompt" when hasValue: prompt = args[++i]; break;
        case "--stop-after" when hasValue && int.TryParse(args[i + 1], out int n) && n > 0: stopAfter = n; i++; break;
        case "--pause-ms" when hasValue && int.TryParse(args[i + 1], out pauseMs) && pauseMs >= 0: i++; break;
        default:
            Console.Error.WriteLine("usage: StreamingWriter [--nats URL] [--role all|agents|caller] [--prompt TEXT] [--stop-after TOKENS] [--pause-ms MS]");
            return 2;
    }
}

AgentBusOptions options = new() { Url = url };
List<IAsyncDisposable> running = [];
try
{
    if (role is "all" or "agents")
    {
        AgentBus agents = await AgentBus.ConnectAsync("writing-desk", options);
        running.Add(agents);
        running.Add(await agents.ServeAsync<IWriter>(new FakeWriter(TimeSpan.FromMilliseconds(pauseMs))));
        running.Add(await agents.ServeAsync<IPlanner>(new Planner(TimeSpan.FromMilliseconds(pauseMs * 5))));
        Console.WriteLine($"writing-desk serving IWriter and IPlanner on {url}");
    }

    if (role == "agents")
    {
        using CancellationTokenSource stop = new();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    await using AgentBus caller = await AgentBus.ConnectAsync("reader", options);

    // The draft, printed token by token as it arrives.
    Console.Write($"draft of \"{prompt}\": ");
    Stopwatch watch = Stopwatch.StartNew();
    int tokens = 0;
    await foreach (Token token in caller.Client<IWriter>().DraftAsync(prompt))
    {
        Console.Write(token.Text == "\n" ? "\n  " : token.Text + " ");
        if (++tokens == stopAfter)
        {
            // Breaking out of the loop tells the writer, whose iterator's token fires and whose finally runs.
            Console.WriteLine("...");
            break;
        }
    }

    Console.WriteLine();
    Console.WriteLine($"reader: {tokens} tokens in {watch.ElapsedMilliseconds} ms");

    // The plan, its steps printed as the planner reports them (one at a time, in order), then the result.
    ConsoleProgress steps = new();
    Plan plan = await caller.Client<IPlanner>().PlanAsync("ship a streaming agent", steps);
    Console.WriteLine($"plan for \"{plan.Goal}\": {plan.Steps.Count} steps, {steps.Reported} reported while it was made");

    // Give the writer's finally a moment to print when the reader stopped early (it runs on the agent's side).
    await Task.Delay(100);
    return 0;
}
finally
{
    for (int i = running.Count - 1; i >= 0; i--)
    {
        await running[i].DisposeAsync();
    }
}

/// <summary>Prints each step as the planner reports it. Not <see cref="Progress{T}"/>, which may run its callbacks out of order.</summary>
internal sealed class ConsoleProgress : IProgress<PlanStep>
{
    public int Reported { get; private set; }

    public void Report(PlanStep value)
    {
        Reported++;
        Console.WriteLine($"  planner: step {value.Number}/{value.Of}: {value.Text}");
    }
}
