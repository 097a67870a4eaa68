using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ana.Benchmarks.Reporting;
using NATS.Client.Core;

namespace Ana.Benchmarks.Wire;

/// <summary>
/// Over the wire: a real nats-server on loopback, the responders in a second process, and from this process the same call
/// made through raw <see cref="NatsConnection.RequestAsync{TRequest,TReply}"/> and through the generated typed client.
/// Raw and typed alternate round by round so that both see the same machine.
/// </summary>
internal sealed class WireBenchmark(BenchmarkSettings settings, Report report)
{
    private const string Latency = "1. Round-trip latency, sequential (typed vs raw RequestAsync)";
    private const string Throughput = "2. Throughput (typed vs raw RequestAsync)";
    private const string ReplyPaths = "3. Reply-subject path (Python-style responder) vs inbox path: typed client, same hand-written responder";
    private const string Allocations = "4. Allocations per call, sequential (typed vs raw RequestAsync)";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using WireSetup setup = await WireSetup.StartAsync(profileResponder: false, cancellationToken);
        (IEchoCaller raw, IEchoCaller typed) = (setup.Raw, setup.Typed);
        foreach (IEchoCaller caller in new[] { raw, typed, setup.TypedViaInbox, setup.TypedViaReplySubject })
        {
            await LoadRunner.SequentialAsync(caller, new long[settings.WarmupCalls], cancellationToken);
            await LoadRunner.ThroughputAsync(caller, 64, settings.ThroughputDuration / 2, cancellationToken);
        }

        await LatencyAndAllocationsAsync(setup.Connection, raw, typed, cancellationToken);
        foreach (int callers in new[] { 1, 16, 64 })
        {
            (double typedRate, double rawRate) = await CompareThroughputAsync(typed, raw, callers, cancellationToken);
            report.Add(Throughput, $"calls/s, {callers} concurrent caller{(callers == 1 ? "" : "s")}", typedRate, rawRate, "calls/s", callers == 64 ? Target.Min(1.00) : null);
        }

        await ReplySubjectPathAsync(setup.TypedViaInbox, setup.TypedViaReplySubject, cancellationToken);
    }

    private async Task LatencyAndAllocationsAsync(NatsConnection connection, IEchoCaller raw, IEchoCaller typed, CancellationToken cancellationToken)
    {
        Measured rawTotal = new(), typedTotal = new();
        for (int round = 0; round < settings.Rounds; round++)
        {
            await MeasureSequentialAsync(connection, raw, rawTotal, cancellationToken);
            await MeasureSequentialAsync(connection, typed, typedTotal, cancellationToken);
        }

        long[] rawTicks = rawTotal.SortedLatencies(), typedTicks = typedTotal.SortedLatencies();
        foreach ((string name, double percentile) in new[] { ("p50", 50.0), ("p90", 90.0), ("p99", 99.0) })
        {
            report.Add(Latency, $"{name} latency", Percentiles.Microseconds(typedTicks, percentile), Percentiles.Microseconds(rawTicks, percentile), "µs",
                percentile == 50 ? Target.Max(1.10) : null);
        }

        report.Add(Allocations, "caller bytes per call", typedTotal.CallerBytesPerCall, rawTotal.CallerBytesPerCall, "B", Target.Max(1.00));
        report.Add(Allocations, "server bytes per call", typedTotal.ServerBytesPerCall, rawTotal.ServerBytesPerCall, "B");
    }

    private async Task MeasureSequentialAsync(NatsConnection connection, IEchoCaller caller, Measured into, CancellationToken cancellationToken)
    {
        long[] latencies = new long[settings.LatencyCalls];
        long serverBefore = await ServerAllocatedBytesAsync(connection, cancellationToken);
        long callerBefore = GC.GetTotalAllocatedBytes(precise: true);
        await LoadRunner.SequentialAsync(caller, latencies, cancellationToken);
        long callerAfter = GC.GetTotalAllocatedBytes(precise: true);
        long serverAfter = await ServerAllocatedBytesAsync(connection, cancellationToken);
        into.Add(latencies, callerAfter - callerBefore, serverAfter - serverBefore);
    }

    private async Task<(double Typed, double Raw)> CompareThroughputAsync(IEchoCaller typed, IEchoCaller baseline, int callers, CancellationToken cancellationToken)
    {
        List<double> typedRates = [], baselineRates = [];
        for (int round = 0; round < settings.Rounds; round++)
        {
            // Alternate which goes first, so that neither always runs on a warmer (or busier) machine.
            bool typedFirst = round % 2 == 1;
            if (typedFirst)
            {
                typedRates.Add(await LoadRunner.ThroughputAsync(typed, callers, settings.ThroughputDuration, cancellationToken));
            }

            baselineRates.Add(await LoadRunner.ThroughputAsync(baseline, callers, settings.ThroughputDuration, cancellationToken));
            if (!typedFirst)
            {
                typedRates.Add(await LoadRunner.ThroughputAsync(typed, callers, settings.ThroughputDuration, cancellationToken));
            }
        }

        return (Percentiles.Median(typedRates), Percentiles.Median(baselineRates));
    }

    private async Task ReplySubjectPathAsync(IEchoCaller inbox, IEchoCaller replySubject, CancellationToken cancellationToken)
    {
        Dictionary<(bool ReplySubject, int Callers), double> cpuPerCall = new();
        Dictionary<(bool ReplySubject, int Callers), double> rates = new();
        foreach (int callers in new[] { 1, 16, 64 })
        {
            List<double> inboxRates = [], replyRates = [], inboxCpu = [], replyCpu = [];
            for (int round = 0; round < settings.Rounds; round++)
            {
                (double rate, double cpu) = await RateAndCpuAsync(inbox, callers, cancellationToken);
                inboxRates.Add(rate);
                inboxCpu.Add(cpu);
                (rate, cpu) = await RateAndCpuAsync(replySubject, callers, cancellationToken);
                replyRates.Add(rate);
                replyCpu.Add(cpu);
            }

            rates[(false, callers)] = Percentiles.Median(inboxRates);
            rates[(true, callers)] = Percentiles.Median(replyRates);
            cpuPerCall[(false, callers)] = Percentiles.Median(inboxCpu);
            cpuPerCall[(true, callers)] = Percentiles.Median(replyCpu);
            report.Add(ReplyPaths, $"calls/s, {callers} concurrent caller{(callers == 1 ? "" : "s")}: reply subject vs inbox",
                rates[(true, callers)], rates[(false, callers)], "calls/s", callers == 64 ? Target.Min(1 / 1.2) : null);
        }

        // Flat cost per call as calls pile up: compared between two loads that both keep the CPUs busy (with one caller,
        // idle thread-pool workers spinning between calls would dominate the CPU time of a call).
        report.Add(ReplyPaths, "caller CPU per call, reply subject: 64 callers vs 16", cpuPerCall[(true, 64)], cpuPerCall[(true, 16)], "µs", Target.Max(1.20));
        report.Add(ReplyPaths, "caller CPU per call, inbox: 64 callers vs 16", cpuPerCall[(false, 64)], cpuPerCall[(false, 16)], "µs", Target.Max(1.20));
    }

    /// <summary>Calls per second, and the CPU time this process spent per call (µs).</summary>
    private async Task<(double Rate, double CpuMicroseconds)> RateAndCpuAsync(IEchoCaller caller, int callers, CancellationToken cancellationToken)
    {
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        double rate = await LoadRunner.ThroughputAsync(caller, callers, settings.ThroughputDuration, cancellationToken);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        double cpu = (self.TotalProcessorTime - cpuBefore).TotalMicroseconds;
        return (rate, cpu / (rate * seconds));
    }

    private static async Task<long> ServerAllocatedBytesAsync(NatsConnection connection, CancellationToken cancellationToken)
    {
        NatsMsg<byte[]> reply = await connection.RequestAsync<byte[], byte[]>(BenchSubjects.AllocatedBytes, [], cancellationToken: cancellationToken);
        return long.Parse(Encoding.ASCII.GetString(reply.Data!), CultureInfo.InvariantCulture);
    }

    /// <summary>What one path did over the rounds: every latency, and the bytes allocated on both sides.</summary>
    private sealed class Measured
    {
        private readonly List<long[]> _latencies = [];
        private long _callerBytes;
        private long _serverBytes;
        private long _calls;

        public double CallerBytesPerCall => (double)_callerBytes / _calls;

        public double ServerBytesPerCall => (double)_serverBytes / _calls;

        public void Add(long[] latencies, long callerBytes, long serverBytes)
        {
            _latencies.Add(latencies);
            _callerBytes += callerBytes;
            _serverBytes += serverBytes;
            _calls += latencies.Length;
        }

        public long[] SortedLatencies()
        {
            long[] all = [.. _latencies.SelectMany(latencies => latencies)];
            Array.Sort(all);
            return all;
        }
    }
}
