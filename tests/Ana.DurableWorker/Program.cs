using System.Runtime.InteropServices;
using Ana;
using Ana.Contracts;
using Ana.Contracts.Tests.Durable;

// ana-durable-worker --nats URL --prefix PREFIX --name NAME [--ack-wait SECONDS] [--linger-ms MS]
// Serves IIndexer until SIGTERM or stdin closes; prints "ready" once serving, "run <id> <attempt>" when a run starts, and
// "stats <received> <redelivered> <completion hits>" once it has stopped serving.
Dictionary<string, string> options = [];
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string name = options["name"];
TimeSpan linger = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("linger-ms", "0"), System.Globalization.CultureInfo.InvariantCulture));
DurableOptions durable = new() { AckWait = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("ack-wait", "2"), System.Globalization.CultureInfo.InvariantCulture)) };
await using AgentBus bus = await AgentBus.ConnectAsync(name, new AgentBusOptions { Url = options["nats"], Prefix = options["prefix"], Durable = durable });
await using AgentSubscription served = await bus.ServeAsync<IIndexer>(new PrintingIndexer(name, linger), new ServeOptions { MaxConcurrency = 16 });
Console.Out.WriteLine("ready");
Console.Out.Flush();

using CancellationTokenSource stop = new();
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
Task stdinClosed = Task.Run(() => Console.In.ReadToEnd());
await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
await served.DisposeAsync();
AgentBusStatistics statistics = bus.Statistics;
Console.Out.WriteLine($"stats {statistics.DurableReceived} {statistics.DurableRedelivered} {statistics.DurableCompletionHits}");
Console.Out.Flush();

/// <summary>Indexes as the tests' <see cref="Indexer"/> does, printing each run as it starts.</summary>
internal sealed class PrintingIndexer(string name, TimeSpan linger) : IIndexer
{
    private static readonly Lock Output = new();

    public async Task<IndexReport> IndexAsync(Document doc, CancellationToken ct = default)
    {
        Print(doc);
        await Task.Delay(linger, ct);
        return new IndexReport(doc.Id, doc.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, name);
    }

    public Task EnqueueAsync(Document doc, CancellationToken ct = default)
    {
        Print(doc);
        return Task.Delay(linger, ct);
    }

    /// <summary>Never ends: a message whose handler brings its process down, as far as JetStream can tell (the test kills the process).</summary>
    public Task FlakyAsync(Document doc)
    {
        Print(doc);
        return Task.Delay(Timeout.Infinite);
    }

    public Task<int> CountAsync() => Task.FromResult(0);

    private static void Print(Document doc)
    {
        int attempt = AnaCallContext.Current?.DeliveryAttempt ?? 0;
        lock (Output)
        {
            Console.Out.WriteLine($"run {doc.Id} {attempt}");
            Console.Out.Flush();
        }
    }
}
