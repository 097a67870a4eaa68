using Ana.Benchmarks.Contract;
using Ana.Benchmarks.Reporting;
using Ana.Benchmarks.Wire;
using Ana.Contracts;
using Ana.Testing.Nats;

namespace Ana.Benchmarks.Durable;

/// <summary>
/// The price of durability (issue 16): a durable call against the same call over core NATS, with completion records
/// and without, and a durable one-way publish against a core one-way publish, on one <c>nats-server -js</c> with file
/// storage, caller and server in this process. No target: what each costs is measured and explained in
/// docs/performance.md (the storage acknowledgement, the pull round trip, the acknowledgement, the record).
/// </summary>
internal sealed class DurableBenchmark(BenchmarkSettings settings, Report report)
{
    private const string Calls = "7. Durable calls vs the same call over core NATS (JetStream, file storage)";
    private const string OneWay = "8. Durable one-way publishes vs core one-way publishes";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using JetStreamServer server = await JetStreamServer.StartAsync();
        foreach (bool records in new[] { true, false })
        {
            string prefix = records ? "bench.durable.records" : "bench.durable.plain";
            AgentBusOptions options = new() { Url = server.Url, Prefix = prefix, Durable = new DurableOptions { CompletionRecords = records } };
            await using AgentBus serverBus = await AgentBus.ConnectAsync("durable-bench-server", options, cancellationToken);
            await using AgentSubscription serving = await serverBus.ServeAsync<IDurableBench>(new DurableBench(), new ServeOptions { MaxConcurrency = 64 }, cancellationToken);
            await using AgentBus callerBus = await AgentBus.ConnectAsync("durable-bench-caller", options, cancellationToken);
            IDurableBench client = callerBus.Client<IDurableBench>();
            await CompareCallsAsync(new Caller(client, durable: true), new Caller(client, durable: false), records ? "with completion records" : "without completion records", cancellationToken);
            if (!records)
            {
                await CompareOneWayAsync(new Recorder(client, durable: true), new Recorder(client, durable: false), cancellationToken);
            }
        }
    }

    private async Task CompareCallsAsync(IEchoCaller durable, IEchoCaller core, string label, CancellationToken cancellationToken)
    {
        int warmup = settings.WarmupCalls / 3, sequential = settings.LatencyCalls / 5;
        await LoadRunner.SequentialAsync(core, new long[warmup], cancellationToken);
        await LoadRunner.SequentialAsync(durable, new long[warmup], cancellationToken);
        List<long> coreTicks = [], durableTicks = [];
        Dictionary<int, (List<double> Durable, List<double> Core)> rates = new() { [1] = ([], []), [64] = ([], []) };
        for (int round = 0; round < settings.Rounds; round++)
        {
            long[] latencies = new long[sequential];
            await LoadRunner.SequentialAsync(core, latencies, cancellationToken);
            coreTicks.AddRange(latencies);
            latencies = new long[sequential];
            await LoadRunner.SequentialAsync(durable, latencies, cancellationToken);
            durableTicks.AddRange(latencies);
            foreach ((int callers, (List<double> Durable, List<double> Core) measured) in rates)
            {
                measured.Core.Add(await LoadRunner.ThroughputAsync(core, callers, settings.ThroughputDuration, cancellationToken));
                measured.Durable.Add(await LoadRunner.ThroughputAsync(durable, callers, settings.ThroughputDuration, cancellationToken));
            }
        }

        long[] sortedCore = [.. coreTicks.Order()], sortedDurable = [.. durableTicks.Order()];
        report.Add(Calls, $"p50 latency, {label}", Percentiles.Microseconds(sortedDurable, 50), Percentiles.Microseconds(sortedCore, 50), "µs");
        report.Add(Calls, $"p99 latency, {label}", Percentiles.Microseconds(sortedDurable, 99), Percentiles.Microseconds(sortedCore, 99), "µs");
        foreach ((int callers, (List<double> Durable, List<double> Core) measured) in rates)
        {
            report.Add(Calls, $"calls/s, {callers} caller{(callers == 1 ? "" : "s")}, {label}", Percentiles.Median(measured.Durable), Percentiles.Median(measured.Core), "calls/s");
        }
    }

    private async Task CompareOneWayAsync(IEchoCaller durable, IEchoCaller core, CancellationToken cancellationToken)
    {
        await LoadRunner.SequentialAsync(core, new long[settings.WarmupCalls / 3], cancellationToken);
        await LoadRunner.SequentialAsync(durable, new long[settings.WarmupCalls / 3], cancellationToken);
        foreach (int callers in new[] { 1, 64 })
        {
            List<double> durableRates = [], coreRates = [];
            for (int round = 0; round < settings.Rounds; round++)
            {
                coreRates.Add(await LoadRunner.ThroughputAsync(core, callers, settings.ThroughputDuration, cancellationToken));
                durableRates.Add(await LoadRunner.ThroughputAsync(durable, callers, settings.ThroughputDuration, cancellationToken));
            }

            report.Add(OneWay, $"publishes/s, {callers} caller{(callers == 1 ? "" : "s")} (durable: each confirmed stored)", Percentiles.Median(durableRates), Percentiles.Median(coreRates), "msgs/s");
        }
    }

    private sealed class Caller(IDurableBench client, bool durable) : IEchoCaller
    {
        public async ValueTask CallAsync(CancellationToken cancellationToken)
            => EchoCheck.Verify(durable
                ? await client.EchoAsync(Reading.Sample, cancellationToken).ConfigureAwait(false)
                : await client.CoreEchoAsync(Reading.Sample, cancellationToken).ConfigureAwait(false));
    }

    private sealed class Recorder(IDurableBench client, bool durable) : IEchoCaller
    {
        public async ValueTask CallAsync(CancellationToken cancellationToken)
            => await (durable ? client.RecordAsync(Reading.Sample) : client.CoreRecordAsync(Reading.Sample)).ConfigureAwait(false);
    }
}
