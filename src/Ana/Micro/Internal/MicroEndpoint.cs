using System.Diagnostics;

namespace Ana.Micro;

/// <summary>
/// One topic of a served contract as a NATS micro endpoint: what INFO shows of it and the statistics STATS reports,
/// recorded by the dispatcher for every call it runs (two interlocked additions, a third on an error; no lock).
/// </summary>
internal sealed class MicroEndpoint
{
    private long _requests;
    private long _errors;
    private long _elapsedTicks;
    private EndpointError? _lastError;

    public MicroEndpoint(string name, string subject, string? queueGroup, IReadOnlyDictionary<string, string> metadata)
    {
        Name = name;
        Subject = subject;
        QueueGroup = queueGroup;
        Metadata = metadata;
    }

    /// <summary>The endpoint's name: the topic mapped to ADR-32's characters.</summary>
    public string Name { get; }

    /// <summary>The query subject of the topic.</summary>
    public string Subject { get; }

    /// <summary>The served subscription's queue group, or <see langword="null"/> without one.</summary>
    public string? QueueGroup { get; }

    /// <summary>The endpoint's <c>metadata</c>: contract name and C# signature (see <see cref="EndpointMetadata"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public long Requests => Volatile.Read(ref _requests);

    public long Errors => Volatile.Read(ref _errors);

    /// <summary>The time spent in the calls, in nanoseconds.</summary>
    public long ProcessingNanoseconds => TicksToNanoseconds(Volatile.Read(ref _elapsedTicks));

    /// <summary>The last error as ADR-32 reports it (<c>"code: message"</c>), or an empty string.</summary>
    public string LastError => Volatile.Read(ref _lastError)?.Text ?? string.Empty;

    /// <summary>Records a call that started at <paramref name="started"/> (<see cref="Stopwatch.GetTimestamp"/>) and ended now.</summary>
    /// <param name="started">When its handler started.</param>
    /// <param name="errorCode">The error it ended with (the error reply's code, or what the handler threw), or <see langword="null"/>.</param>
    /// <param name="errorMessage">The error's message.</param>
    public void Record(long started, string? errorCode, string? errorMessage)
    {
        Interlocked.Add(ref _elapsedTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _requests);
        if (errorCode is not null)
        {
            Volatile.Write(ref _lastError, new EndpointError(errorCode, errorMessage));
            Interlocked.Increment(ref _errors);
        }
    }

    private static long TicksToNanoseconds(long ticks)
        => Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <summary>The last error, formatted only when STATS asks for it.</summary>
    private sealed class EndpointError(string code, string? message)
    {
        public string Text => string.IsNullOrEmpty(message) ? code : $"{code}: {message}";
    }
}
