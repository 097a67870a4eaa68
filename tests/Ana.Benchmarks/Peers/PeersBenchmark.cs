using System.Diagnostics;
using Ana.Benchmarks.Reporting;
using Ana.Benchmarks.Wire;

namespace Ana.Benchmarks.Peers;

/// <summary>
/// Raw NATS, a NATS micro endpoint, gRPC unary and the typed Ana client, measured in one run on one nats-server with the
/// same record, each server in its own process. Every measurement is repeated <see cref="BenchmarkSettings.Rounds"/>
/// times with the stacks in a rotating order, and the median (or, for latencies, every call of every round) is kept.
/// </summary>
internal sealed class PeersBenchmark(BenchmarkSettings settings)
{
    /// <summary>The concurrency at which CPU time per call is reported (the headline figure).</summary>
    public const int CpuCallers = 64;

    public static IReadOnlyList<int> Concurrencies { get; } = [1, 16, 64, 256];

    public async Task<PeerResults> RunAsync(CancellationToken cancellationToken)
    {
        await using PeerRig rig = await PeerRig.StartAsync(cancellationToken);
        Dictionary<(PeerHandler, PeerStack), PeerFigures> figures = [];
        foreach (PeerHandler handler in Enum.GetValues<PeerHandler>())
        {
            Console.WriteLine($"  {handler.Name()}...");
            Dictionary<PeerStack, IEchoCaller> callers = PeerNames.Stacks.ToDictionary(stack => stack, stack => rig.Caller(stack, handler));
            // A call that waits 1 ms takes about five times as long: a fifth as many keep the run's length.
            int sequentialCalls = handler == PeerHandler.Immediate ? settings.LatencyCalls : Math.Max(settings.LatencyCalls / 5, 100);
            int warmupCalls = handler == PeerHandler.Immediate ? settings.WarmupCalls : Math.Max(settings.WarmupCalls / 5, 100);
            foreach (PeerStack stack in PeerNames.Stacks)
            {
                figures[(handler, stack)] = new PeerFigures();
                await LoadRunner.SequentialAsync(callers[stack], new long[warmupCalls], cancellationToken);
                await LoadRunner.ThroughputAsync(callers[stack], CpuCallers, settings.ThroughputDuration / 2, cancellationToken);
            }

            await LatencyAndAllocationsAsync(rig, handler, callers, sequentialCalls, figures, cancellationToken);
            foreach (int concurrency in Concurrencies)
            {
                await ThroughputAsync(rig, handler, callers, concurrency, figures, cancellationToken);
            }
        }

        SustainedFigures sustained = await SustainedAsync(rig, cancellationToken);
        return new PeerResults(figures, sustained);
    }

    private async Task LatencyAndAllocationsAsync(
        PeerRig rig, PeerHandler handler, Dictionary<PeerStack, IEchoCaller> callers, int calls,
        Dictionary<(PeerHandler, PeerStack), PeerFigures> figures, CancellationToken cancellationToken)
    {
        Dictionary<PeerStack, List<long>> latencies = PeerNames.Stacks.ToDictionary(stack => stack, _ => new List<long>());
        Dictionary<PeerStack, (long Caller, long Server, long Calls)> bytes = PeerNames.Stacks.ToDictionary(stack => stack, _ => (0L, 0L, 0L));
        for (int round = 0; round < settings.Rounds; round++)
        {
            foreach (PeerStack stack in InRotation(round))
            {
                PeerServerProcess server = rig.Server(stack);
                long[] ticks = new long[calls];
                long serverBefore = await server.AllocatedBytesAsync(cancellationToken);
                long callerBefore = GC.GetTotalAllocatedBytes(precise: true);
                await LoadRunner.SequentialAsync(callers[stack], ticks, cancellationToken);
                long callerAfter = GC.GetTotalAllocatedBytes(precise: true);
                long serverAfter = await server.AllocatedBytesAsync(cancellationToken);
                latencies[stack].AddRange(ticks);
                (long callerSum, long serverSum, long callSum) = bytes[stack];
                bytes[stack] = (callerSum + callerAfter - callerBefore, serverSum + serverAfter - serverBefore, callSum + calls);
            }
        }

        foreach (PeerStack stack in PeerNames.Stacks)
        {
            long[] sorted = [.. latencies[stack]];
            Array.Sort(sorted);
            PeerFigures into = figures[(handler, stack)];
            into.P50 = Percentiles.Microseconds(sorted, 50);
            into.P90 = Percentiles.Microseconds(sorted, 90);
            into.P99 = Percentiles.Microseconds(sorted, 99);
            (long callerBytes, long serverBytes, long total) = bytes[stack];
            into.CallerBytes = (double)callerBytes / total;
            into.ServerBytes = (double)serverBytes / total;
            Console.WriteLine($"    {stack.Name()}: p50 {into.P50:0} µs, p99 {into.P99:0} µs, {into.CallerBytes:N0} B caller, {into.ServerBytes:N0} B server per call");
        }
    }

    private async Task ThroughputAsync(
        PeerRig rig, PeerHandler handler, Dictionary<PeerStack, IEchoCaller> callers, int concurrency,
        Dictionary<(PeerHandler, PeerStack), PeerFigures> figures, CancellationToken cancellationToken)
    {
        Dictionary<PeerStack, List<CpuSample>> samples = PeerNames.Stacks.ToDictionary(stack => stack, _ => new List<CpuSample>());
        for (int round = 0; round < settings.Rounds; round++)
        {
            foreach (PeerStack stack in InRotation(round))
            {
                samples[stack].Add(await MeasureRateAsync(rig, stack, callers[stack], concurrency, settings.ThroughputDuration, cancellationToken));
            }
        }

        foreach (PeerStack stack in PeerNames.Stacks)
        {
            PeerFigures into = figures[(handler, stack)];
            into.Rates[concurrency] = Percentiles.Median([.. samples[stack].Select(sample => sample.Rate)]);
            if (concurrency == CpuCallers)
            {
                into.CallerCpu = Percentiles.Median([.. samples[stack].Select(sample => sample.Caller)]);
                into.ServerCpu = Percentiles.Median([.. samples[stack].Select(sample => sample.Server)]);
                into.BrokerCpu = stack == PeerStack.Grpc ? double.NaN : Percentiles.Median([.. samples[stack].Select(sample => sample.Broker)]);
            }
        }

        Console.WriteLine($"    {concurrency} callers: " + string.Join(", ", PeerNames.Stacks.Select(stack => $"{stack.Name()} {figures[(handler, stack)].Rates[concurrency]:N0}/s")));
    }

    /// <summary>Calls per second of <paramref name="concurrency"/> callers, and the CPU time each process spent per call (µs).</summary>
    private static async Task<CpuSample> MeasureRateAsync(
        PeerRig rig, PeerStack stack, IEchoCaller caller, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        using Process self = Process.GetCurrentProcess();
        PeerServerProcess server = rig.Server(stack);
        TimeSpan callerBefore = self.TotalProcessorTime, serverBefore = server.TotalProcessorTime, brokerBefore = BrokerCpu(rig);
        long start = Stopwatch.GetTimestamp();
        double rate = await LoadRunner.ThroughputAsync(caller, concurrency, duration, cancellationToken);
        double calls = rate * Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        return new CpuSample(
            rate,
            (self.TotalProcessorTime - callerBefore).TotalMicroseconds / calls,
            (server.TotalProcessorTime - serverBefore).TotalMicroseconds / calls,
            (BrokerCpu(rig) - brokerBefore).TotalMicroseconds / calls);
    }

    private static TimeSpan BrokerCpu(PeerRig rig)
    {
        if (rig.NatsServerProcess is not { } broker)
        {
            return TimeSpan.Zero;
        }

        broker.Refresh();
        return broker.TotalProcessorTime;
    }

    /// <summary>64 typed callers for the sustained duration, in two halves; memory after a full collection on both sides after warm-up and after each half.</summary>
    private async Task<SustainedFigures> SustainedAsync(PeerRig rig, CancellationToken cancellationToken)
    {
        Console.WriteLine($"  sustained load: {CpuCallers} typed callers for {settings.SustainedDuration.TotalSeconds:0} s...");
        IEchoCaller caller = rig.Caller(PeerStack.Ana, PeerHandler.Immediate);
        PeerServerProcess server = rig.Server(PeerStack.Ana);
        // Warmed up for longer than a call's timeout: both sides keep a deadline slot per 10 ms of calls in flight, each
        // alive for the call timeout, so their population (and the heap) grows for one timeout after load starts, then
        // holds. A baseline taken earlier would count that filling up as growth.
        await LoadRunner.ThroughputAsync(caller, CpuCallers, settings.Smoke ? settings.ThroughputDuration : PeerRig.CallTimeout + TimeSpan.FromSeconds(2), cancellationToken);
        ProcessMemory callerBefore = ProcessMemory.AfterFullCollection();
        ProcessMemory serverBefore = await server.MemoryAfterFullCollectionAsync(cancellationToken);
        TimeSpan half = settings.SustainedDuration / 2;
        long start = Stopwatch.GetTimestamp();
        double calls = await LoadRunner.ThroughputAsync(caller, CpuCallers, half, cancellationToken) * Stopwatch.GetElapsedTime(start).TotalSeconds;
        ProcessMemory callerHalfway = ProcessMemory.AfterFullCollection();
        ProcessMemory serverHalfway = await server.MemoryAfterFullCollectionAsync(cancellationToken);
        start = Stopwatch.GetTimestamp();
        calls += await LoadRunner.ThroughputAsync(caller, CpuCallers, half, cancellationToken) * Stopwatch.GetElapsedTime(start).TotalSeconds;
        ProcessMemory callerAfter = ProcessMemory.AfterFullCollection();
        ProcessMemory serverAfter = await server.MemoryAfterFullCollectionAsync(cancellationToken);
        return new SustainedFigures(settings.SustainedDuration, calls, callerBefore, callerHalfway, callerAfter, serverBefore, serverHalfway, serverAfter);
    }

    /// <summary>The stacks in the order of round <paramref name="round"/>: each goes first in turn, so none always runs on a warmer machine.</summary>
    private static IEnumerable<PeerStack> InRotation(int round)
    {
        int count = PeerNames.Stacks.Count;
        for (int i = 0; i < count; i++)
        {
            yield return PeerNames.Stacks[(i + round) % count];
        }
    }

    private readonly record struct CpuSample(double Rate, double Caller, double Server, double Broker);
}
