using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Ana.Contracts.Internal;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The signs of life one call watches while it waits for its reply: the progress reports its agent sends, handed to the
/// caller's <see cref="IProgress{T}"/> one at a time in arrival order; and, with a heartbeat deadline, the time since the
/// last sign (a reply, a report or an "alive" ack), which fails the call with <see cref="AnaTimeoutException"/>
/// (<see cref="AnaTimeoutException.IsIdle"/>) when it grows past the deadline, however long its overall timeout. Made
/// by generated clients, one per call, for methods with an <see cref="IProgress{T}"/> parameter or <c>[AnaHeartbeat]</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The bus ends what it watches (End) when the call ends; the caller never owns it.")]
public abstract class ContractCallSignals
{
    private static readonly TimeSpan ShortestCheck = TimeSpan.FromMilliseconds(10);

    private readonly TimeSpan? _idle;
    private long _lastSign;
    private Timer? _timer;
    private PendingReply? _pending;
    private string _agent = "";
    private string _topic = "";

    private protected ContractCallSignals(TimeSpan? heartbeat)
    {
        if (heartbeat is { } idle)
        {
            CallTimeouts.Validate(idle, nameof(heartbeat));
        }

        _idle = heartbeat;
    }

    /// <summary>Signals of a call that takes no progress reports and fails when its agent shows no sign of life for <paramref name="heartbeat"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heartbeat"/> is not between 1 ms and 24 days.</exception>
    public static ContractCallSignals Heartbeat(TimeSpan heartbeat) => new NoReports(heartbeat);

    /// <summary>
    /// Signals of a call whose reports go to <paramref name="progress"/> (none when it is <see langword="null"/>), read as
    /// <typeparamref name="T"/> with <paramref name="reportType"/>; with a <paramref name="heartbeat"/> deadline, if given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heartbeat"/> is not between 1 ms and 24 days.</exception>
    public static ContractCallSignals Progress<T>(IProgress<T>? progress, JsonTypeInfo<T> reportType, TimeSpan? heartbeat)
    {
        ArgumentNullException.ThrowIfNull(reportType);
        return progress is null && heartbeat is { } idle ? new NoReports(idle) : new Reports<T>(progress, reportType, heartbeat);
    }

    /// <summary>What the query says of them: whether it takes reports, and its heartbeat deadline.</summary>
    internal QueryExtras Extras => new(Progress: TakesReports ? true : null, HeartbeatSeconds: _idle?.TotalSeconds);

    private protected abstract bool TakesReports { get; }

    /// <summary>Stops watching, when the call ends: the deadline's timer, and the reports not handed on yet.</summary>
    internal void End()
    {
        Interlocked.Exchange(ref _timer, null)?.Dispose();
        StopReports();
    }

    /// <summary>Starts watching the call <paramref name="pending"/>: its deadline counts from now.</summary>
    internal void Start(PendingReply pending, string agent, string topic)
    {
        _pending = pending;
        _agent = agent;
        _topic = topic;
        Volatile.Write(ref _lastSign, Stopwatch.GetTimestamp());
        if (_idle is { } idle)
        {
            TimeSpan check = idle / 4 < ShortestCheck ? ShortestCheck : idle / 4;
            _timer = new Timer(static state => ((ContractCallSignals)state!).Check(), this, check, check);
        }
    }

    /// <summary>A sign of life from the agent (on the connection's reader): the deadline starts again; a report is queued.</summary>
    /// <returns>False when the ack carries a report that nobody takes (a broken or hostile peer).</returns>
    internal bool OnSign(Ack ack)
    {
        Volatile.Write(ref _lastSign, Stopwatch.GetTimestamp());
        return ack.Progress is not { } report || (TakesReports && Queue(report));
    }

    /// <summary>Waits until the reports that came before the reply have been handed on; rethrows what a report handler threw.</summary>
    internal abstract ValueTask DrainAsync();

    private protected abstract bool Queue(JsonElement report);

    private protected abstract void StopReports();

    private void Check()
    {
        // Measured with the precise clock, so that the deadline never passes early.
        if (_idle is { } idle && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSign)) >= idle
            && _pending is { } pending && pending.TryFailIdle(new AnaTimeoutException(_agent, _topic, idle, idleDeadline: true)))
        {
            Interlocked.Exchange(ref _timer, null)?.Dispose();
        }
    }

    private sealed class NoReports(TimeSpan heartbeat) : ContractCallSignals(heartbeat)
    {
        private protected override bool TakesReports => false;

        internal override ValueTask DrainAsync() => default;

        private protected override bool Queue(JsonElement report) => false;

        private protected override void StopReports()
        {
        }
    }

    /// <summary>Reports read as <typeparamref name="T"/> and handed to the caller's <see cref="IProgress{T}"/> by one reader, in order.</summary>
    private sealed class Reports<T>(IProgress<T>? progress, JsonTypeInfo<T> reportType, TimeSpan? heartbeat) : ContractCallSignals(heartbeat)
    {
        private readonly Channel<JsonElement> _reports = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
        private Task? _handing;

        private protected override bool TakesReports => true;

        internal override async ValueTask DrainAsync()
        {
            _reports.Writer.TryComplete();
            if (Volatile.Read(ref _handing) is { } handing)
            {
                await handing.ConfigureAwait(false);
            }
        }

        private protected override bool Queue(JsonElement report)
        {
            if (progress is null || !_reports.Writer.TryWrite(report))
            {
                return progress is null;
            }

            if (Volatile.Read(ref _handing) is null)
            {
                Interlocked.CompareExchange(ref _handing, Task.Run(HandOnAsync), null);
            }

            return true;
        }

        private protected override void StopReports() => _reports.Writer.TryComplete();

        private async Task HandOnAsync()
        {
            await foreach (JsonElement report in _reports.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                progress!.Report(ContractResults.Read(report, reportType, _agent, _topic, allowNull: true));
            }
        }
    }
}
