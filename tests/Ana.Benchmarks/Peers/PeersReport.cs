using System.Globalization;
using System.Text;
using Ana.Benchmarks.Reporting;

namespace Ana.Benchmarks.Peers;

/// <summary>
/// The peers benchmark's figures as one Markdown table (every stack's value, and its ratio to raw NATS), then the issue's
/// targets that it measures, each with its verdict.
/// </summary>
internal static class PeersReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string ToMarkdown(PeerResults results)
    {
        StringBuilder text = new();
        text.AppendLine("### 7. Peers in the same run: raw NATS, NATS micro, gRPC unary, Ana.Contracts").AppendLine();
        text.AppendLine("Each cell: the figure, and in brackets its ratio to raw NATS (1). CPU per call at " +
            $"{PeersBenchmark.CpuCallers} concurrent callers; mean latency under load = callers ÷ calls/s.").AppendLine();
        text.Append("| figure |");
        foreach (PeerStack stack in PeerNames.Stacks)
        {
            text.Append(' ').Append(stack.Name()).Append(" |");
        }

        text.AppendLine().Append("|---|").AppendLine(string.Concat(PeerNames.Stacks.Select(_ => "---:|")));
        foreach (PeerHandler handler in Enum.GetValues<PeerHandler>())
        {
            text.Append("| **").Append(handler.Name()).Append("** |").AppendLine(string.Concat(PeerNames.Stacks.Select(_ => " |")));
            Row(text, results, handler, "p50 latency, sequential", "µs", figures => figures.P50);
            Row(text, results, handler, "p90 latency, sequential", "µs", figures => figures.P90);
            Row(text, results, handler, "p99 latency, sequential", "µs", figures => figures.P99);
            foreach (int callers in PeersBenchmark.Concurrencies)
            {
                Row(text, results, handler, $"calls/s, {callers} concurrent caller{(callers == 1 ? "" : "s")}", "", figures => figures.Rates[callers]);
            }

            foreach (int callers in PeersBenchmark.Concurrencies.Where(callers => callers > 1))
            {
                Row(text, results, handler, $"mean latency, {callers} callers", "µs", figures => callers * 1_000_000 / figures.Rates[callers]);
            }

            Row(text, results, handler, "caller bytes per call", "B", figures => figures.CallerBytes);
            Row(text, results, handler, "server bytes per call", "B", figures => figures.ServerBytes);
            Row(text, results, handler, "caller CPU per call", "µs", figures => figures.CallerCpu);
            Row(text, results, handler, "server CPU per call", "µs", figures => figures.ServerCpu);
            Row(text, results, handler, "nats-server CPU per call", "µs", figures => figures.BrokerCpu);
            Row(text, results, handler, "CPU per call, all processes", "µs",
                figures => figures.CallerCpu + figures.ServerCpu + (double.IsNaN(figures.BrokerCpu) ? 0 : figures.BrokerCpu));
        }

        text.AppendLine();
        SustainedFigures sustained = results.Sustained;
        text.AppendLine(string.Create(Invariant,
            $"Sustained load: {PeersBenchmark.CpuCallers} typed callers for {sustained.Duration.TotalSeconds:0} s, {sustained.Calls:N0} calls " +
            $"({sustained.Calls / sustained.Duration.TotalSeconds:N0} calls/s); working set / managed heap after a full collection, " +
            $"after warm-up → half-way → at the end: caller {Megabytes(sustained.CallerBefore)} → {Megabytes(sustained.CallerHalfway)} → {Megabytes(sustained.CallerAfter)}, " +
            $"server {Megabytes(sustained.ServerBefore)} → {Megabytes(sustained.ServerHalfway)} → {Megabytes(sustained.ServerAfter)}.")).AppendLine();

        text.AppendLine("#### Targets of issue 12 measured here (handler answers at once unless said)").AppendLine();
        text.AppendLine("| target | Ana.Contracts | compared with | ratio | bound | verdict |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (TargetRow target in Targets(results))
        {
            string verdict = target.Bound is { } bound ? (bound.IsMet(target.Ratio) ? "met" : "**missed**") : "reported";
            text.AppendLine(string.Create(Invariant,
                $"| {target.Name} | {target.Value} | {target.Peer} | {target.Ratio:0.00} | {target.Bound?.ToString() ?? ""} | {verdict} |"));
        }

        return text.ToString();
    }

    private static IEnumerable<TargetRow> Targets(PeerResults results)
    {
        PeerFigures ana = results[PeerHandler.Immediate, PeerStack.Ana];
        PeerFigures raw = results[PeerHandler.Immediate, PeerStack.RawNats];
        PeerFigures micro = results[PeerHandler.Immediate, PeerStack.NatsMicro];
        PeerFigures grpc = results[PeerHandler.Immediate, PeerStack.Grpc];
        PeerFigures anaWaiting = results[PeerHandler.AfterWait, PeerStack.Ana];
        PeerFigures microWaiting = results[PeerHandler.AfterWait, PeerStack.NatsMicro];
        yield return Rate("typed vs raw NATS, calls/s at 64 callers (done)", ana, raw, 64, Target.Min(0.85));
        yield return Rate("typed vs raw NATS, calls/s at 64 callers (stretch)", ana, raw, 64, Target.Min(1.00));
        yield return Latency("typed vs raw NATS, p50 latency", ana, raw, Target.Max(1.05));
        yield return Bytes("typed vs raw NATS, caller bytes per call", ana.CallerBytes, raw.CallerBytes, Target.Max(1.00));
        yield return Bytes("typed vs raw NATS, server bytes per call", ana.ServerBytes, raw.ServerBytes, Target.Max(2.00));
        yield return Rate("typed vs NATS micro, calls/s at 64 callers", ana, micro, 64, Target.Min(1.00));
        yield return Latency("typed vs NATS micro, p50 latency", ana, micro, Target.Max(1.00));
        yield return Rate("typed vs NATS micro, handler awaits 1 ms, calls/s at 64 callers", anaWaiting, microWaiting, 64, null);
        foreach (int callers in PeersBenchmark.Concurrencies.Where(callers => callers >= 16))
        {
            yield return Rate($"typed vs gRPC, calls/s at {callers} callers", ana, grpc, callers, Target.Min(1.00));
        }

        yield return Latency("typed vs gRPC, p50 latency at 1 caller (two hops through the broker against one)", ana, grpc, null);
        foreach (int callers in PeersBenchmark.Concurrencies.Where(callers => callers > 1))
        {
            yield return new TargetRow(
                $"typed vs gRPC, mean latency at {callers} callers",
                Microseconds(callers * 1_000_000 / ana.Rates[callers]),
                Microseconds(callers * 1_000_000 / grpc.Rates[callers]),
                grpc.Rates[callers] / ana.Rates[callers],
                null);
        }

        SustainedFigures sustained = results.Sustained;
        yield return Growth("sustained load: caller working set, after vs after warm-up", sustained.CallerAfter.WorkingSetBytes, sustained.CallerBefore.WorkingSetBytes);
        yield return Growth("sustained load: caller managed heap, after vs after warm-up", sustained.CallerAfter.HeapBytes, sustained.CallerBefore.HeapBytes);
        yield return Growth("sustained load: server working set, after vs after warm-up", sustained.ServerAfter.WorkingSetBytes, sustained.ServerBefore.WorkingSetBytes);
        yield return Growth("sustained load: server managed heap, after vs after warm-up", sustained.ServerAfter.HeapBytes, sustained.ServerBefore.HeapBytes);
    }

    private static TargetRow Rate(string name, PeerFigures ana, PeerFigures peer, int callers, Target? bound)
        => new(name, CallsPerSecond(ana.Rates[callers]), CallsPerSecond(peer.Rates[callers]), ana.Rates[callers] / peer.Rates[callers], bound);

    private static TargetRow Latency(string name, PeerFigures ana, PeerFigures peer, Target? bound)
        => new(name, Microseconds(ana.P50), Microseconds(peer.P50), ana.P50 / peer.P50, bound);

    private static TargetRow Bytes(string name, double ana, double peer, Target bound)
        => new(name, string.Create(Invariant, $"{ana:N0} B"), string.Create(Invariant, $"{peer:N0} B"), ana / peer, bound);

    private static TargetRow Growth(string name, long after, long before)
        => new(name, Megabytes(after), Megabytes(before), (double)after / before, Target.Max(1.05));

    private static void Row(StringBuilder text, PeerResults results, PeerHandler handler, string figure, string unit, Func<PeerFigures, double> value)
    {
        double baseline = value(results[handler, PeerStack.RawNats]);
        text.Append("| ").Append(figure).Append(" |");
        foreach (PeerStack stack in PeerNames.Stacks)
        {
            double measured = value(results[handler, stack]);
            text.Append(' ').Append(Format(measured, unit));
            if (stack != PeerStack.RawNats && !double.IsNaN(measured))
            {
                text.Append(string.Create(Invariant, $" ({measured / baseline:0.00})"));
            }

            text.Append(" |");
        }

        text.AppendLine();
    }

    private static string Format(double value, string unit)
    {
        if (double.IsNaN(value))
        {
            return "—";
        }

        string number = value >= 100 ? value.ToString("N0", Invariant) : value.ToString("0.##", Invariant);
        return unit.Length == 0 ? number : $"{number} {unit}";
    }

    private static string CallsPerSecond(double rate) => string.Create(Invariant, $"{rate:N0} calls/s");

    private static string Microseconds(double value) => Format(value, "µs");

    private static string Megabytes(ProcessMemory memory)
        => string.Create(Invariant, $"{memory.WorkingSetBytes / 1048576.0:0.0} / {memory.HeapBytes / 1048576.0:0.00} MiB");

    private static string Megabytes(long bytes) => string.Create(Invariant, $"{bytes / 1048576.0:0.00} MiB");

    private sealed record TargetRow(string Name, string Value, string Peer, double Ratio, Target? Bound);
}
