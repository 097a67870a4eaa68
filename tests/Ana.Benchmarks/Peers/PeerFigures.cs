namespace Ana.Benchmarks.Peers;

/// <summary>What one stack measured with one handler: latencies, rates, allocations and CPU time per call.</summary>
internal sealed class PeerFigures
{
    /// <summary>Sequential latency percentiles (µs).</summary>
    public double P50 { get; set; }

    public double P90 { get; set; }

    public double P99 { get; set; }

    /// <summary>Median calls per second by number of concurrent callers.</summary>
    public Dictionary<int, double> Rates { get; } = [];

    /// <summary>Bytes allocated per sequential call in the caller's process.</summary>
    public double CallerBytes { get; set; }

    /// <summary>Bytes allocated per sequential call in the server's process.</summary>
    public double ServerBytes { get; set; }

    /// <summary>CPU time per call (µs) at <see cref="PeersBenchmark.CpuCallers"/> callers, by process; NaN where there is none.</summary>
    public double CallerCpu { get; set; }

    public double ServerCpu { get; set; }

    public double BrokerCpu { get; set; } = double.NaN;
}

/// <summary>
/// The sustained load: 64 typed callers for a while in two halves, memory after a full collection after warm-up, half-way
/// and at the end (whether a difference grows or was a step tells growth from noise).
/// </summary>
internal sealed record SustainedFigures(
    TimeSpan Duration,
    double Calls,
    ProcessMemory CallerBefore,
    ProcessMemory CallerHalfway,
    ProcessMemory CallerAfter,
    ProcessMemory ServerBefore,
    ProcessMemory ServerHalfway,
    ProcessMemory ServerAfter);

/// <summary>Everything one run of the peers benchmark measured.</summary>
internal sealed record PeerResults(Dictionary<(PeerHandler Handler, PeerStack Stack), PeerFigures> Figures, SustainedFigures Sustained)
{
    public PeerFigures this[PeerHandler handler, PeerStack stack] => Figures[(handler, stack)];
}
