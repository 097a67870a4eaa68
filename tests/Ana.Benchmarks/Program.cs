// The benchmarks of docs/performance.md. Every figure is printed next to its baseline from the same run.
//   dotnet run -c Release --project tests/Ana.Benchmarks -- [wire|peers|streams|durable|serialization|generator|all] [--smoke] [--out FILE]
using System.Globalization;
using System.Runtime.InteropServices;
using Ana.Benchmarks;
using Ana.Benchmarks.Durable;
using Ana.Benchmarks.Generator;
using Ana.Benchmarks.Micro;
using Ana.Benchmarks.Peers;
using Ana.Benchmarks.Peers.Servers;
using Ana.Benchmarks.Profiling;
using Ana.Benchmarks.Reporting;
using Ana.Benchmarks.Streams;
using Ana.Benchmarks.Wire;

if (args is ["responder", string url, ..])
{
    return await Responder.RunAsync(url, args.Contains(Responder.ProfileFlag));
}

if (args is [PeerServer.Verb, string stack, string natsUrl])
{
    return await PeerServer.RunAsync(stack, natsUrl);
}

// Not benchmarks, tools for working on the hot path (docs/performance.md): where the bytes of a call go, caller and
// responder; a steady load of 64 concurrent callers for a CPU profiler to attach to (both processes print their PID);
// 16 concurrent streams in a loop (`load streams SECONDS`, server and caller in one process);
// and the generator's run after an unrelated edit, in a loop (`profile generator SECONDS [json]`).
if (args is ["profile", "typed" or "raw"])
{
    await AllocationProfile.RunAsync(args[1] == "typed", calls: 20_000, CancellationToken.None);
    return 0;
}

if (args is ["load", "typed" or "raw", string seconds])
{
    await SteadyLoad.RunAsync(args[1] == "typed", TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)), CancellationToken.None);
    return 0;
}

if (args is ["load", "streams", string streamSeconds])
{
    await StreamLoad.RunAsync(TimeSpan.FromSeconds(double.Parse(streamSeconds, CultureInfo.InvariantCulture)), CancellationToken.None);
    return 0;
}

if (args is ["profile", "generator", string loopSeconds, ..])
{
    GeneratorBenchmark.Loop(TimeSpan.FromSeconds(double.Parse(loopSeconds, CultureInfo.InvariantCulture)), json: args is [.., "json"]);
    return 0;
}

string mode = "all";
string? output = null;
BenchmarkSettings settings = BenchmarkSettings.Full;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "wire" or "peers" or "streams" or "durable" or "serialization" or "generator" or "all": mode = args[i]; break;
        case "--smoke": settings = BenchmarkSettings.SmokeRun; break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: Ana.Benchmarks [wire|peers|streams|durable|serialization|generator|all] [--smoke] [--out FILE]");
            return 2;
    }
}

Report report = new();
if (mode is "wire" or "all")
{
    Console.WriteLine("Over the wire (nats-server on loopback, responders in a second process)...");
    await new WireBenchmark(settings, report).RunAsync(CancellationToken.None);
}

if (mode is "peers" or "all")
{
    Console.WriteLine("Peers: raw NATS, NATS micro, gRPC and Ana.Contracts, each server in its own process...");
    await PeersRun.RunAsync(settings, report, CancellationToken.None);
}

if (mode is "streams" or "all")
{
    Console.WriteLine("Streams: a generated stream vs raw NATS publishes to a subscriber; heartbeats' cost...");
    await new StreamBenchmark(settings, report).RunAsync(CancellationToken.None);
}

if (mode is "durable" or "all")
{
    Console.WriteLine("Durable: calls and one-way publishes stored in JetStream vs the same over core NATS...");
    await new DurableBenchmark(settings, report).RunAsync(CancellationToken.None);
}

if (mode is "serialization" or "all")
{
    Console.WriteLine("Serialization (BenchmarkDotNet, in process)...");
    SerializationRun.Run(settings, report);
}

if (mode is "generator" or "all")
{
    Console.WriteLine("Generator cost...");
    new GeneratorBenchmark(settings, report).Run();
}

string header = string.Create(CultureInfo.InvariantCulture,
    $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(settings.Smoke ? " (smoke: too short to mean anything)" : "")}: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, NATS.Client.Core {typeof(NATS.Client.Core.NatsConnection).Assembly.GetName().Version}");
string markdown = report.ToMarkdown(header);
Console.WriteLine();
Console.WriteLine(markdown);
if (output is not null)
{
    await File.WriteAllTextAsync(output, markdown);
}

return 0;
