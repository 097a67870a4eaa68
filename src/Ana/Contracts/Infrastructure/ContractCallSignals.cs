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
public abstract class ContractCallSignals
{
    private readonly TimeSpan? _idle;
    private long _lastSign;
    private CancellationTokenRegistration _check;
    private Deadlines? _deadlines;
    private int _ended;
    private IIdleDeadline? _call;
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

    /// <summary>Stops watching, when the call ends: the deadline's check, and the reports not handed on yet.</summary>
    internal void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _check.Unregister();
        }

        StopReports();
    }

    /// <summary>
    /// Starts watching <paramref name="call"/>, which it fails when the deadline passes: the deadline counts from now,
    /// checked when it would pass on the caller's shared <paramref name="deadlines"/> (no timer of its own), and again then
    /// for the time a later sign gave it.
    /// </summary>
    internal void Start(IIdleDeadline call, string agent, string topic, Deadlines deadlines)
    {
        _call = call;
        _agent = agent;
        _topic = topic;
        _deadlines = deadlines;
        Volatile.Write(ref _lastSign, Stopwatch.GetTimestamp());
        if (_idle is { } idle)
        {
            ArmCheck(idle);
        }
    }

    /// <summary>A sign of life that is not an ack (a stream's item): the deadline starts again.</summary>
    internal void Touch() => Volatile.Write(ref _lastSign, Stopwatch.GetTimestamp());

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

    private void ArmCheck(TimeSpan after)
    {
        CancellationTokenRegistration check = _deadlines!.After(after).UnsafeRegister(static state => ((ContractCallSignals)state!).Check(), this);
        _check = check;
        if (Volatile.Read(ref _ended) != 0)
        {
            check.Unregister();
        }
    }

    private void Check()
    {
        if (Volatile.Read(ref _ended) != 0 || _idle is not { } idle)
        {
            return;
        }

        // Measured with the precise clock, so that the deadline never passes early; a sign since gives it more time.
        TimeSpan quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSign));
        if (quiet < idle)
        {
            ArmCheck(idle - quiet);
            return;
        }

        _call?.FailIdle(new AnaTimeoutException(_agent, _topic, idle, idleDeadline: true));
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

        // A caller that passes no IProgress<T> does not ask for reports: its agent sends none.
        private protected override bool TakesReports => progress is not null;

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
