using Ana.Contracts;

namespace Ana.Benchmarks.Contract;

/// <summary>The contract of the durable benchmark: the same echo and one-way record, stored in JetStream and over core NATS.</summary>
[AnaAgent("durable-bench")]
public partial interface IDurableBench
{
    /// <summary>Topic <c>echo</c>: returns <paramref name="reading"/>; a durable call.</summary>
    [AnaDurable, AnaTimeout(60)]
    Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>core_echo</c>: the same over core NATS.</summary>
    [AnaTimeout(60)]
    Task<Reading> CoreEchoAsync(Reading reading, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>record</c>: takes <paramref name="reading"/>; durable one-way, returns once stored.</summary>
    [AnaDurable, AnaOneWay]
    Task RecordAsync(Reading reading);

    /// <summary>Topic <c>core_record</c>: the same one-way over core NATS, returns once published.</summary>
    [AnaOneWay]
    Task CoreRecordAsync(Reading reading);
}

/// <summary>The server side of <see cref="IDurableBench"/>.</summary>
internal sealed class DurableBench : IDurableBench
{
    public Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);

    public Task<Reading> CoreEchoAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);

    public Task RecordAsync(Reading reading) => Task.CompletedTask;

    public Task CoreRecordAsync(Reading reading) => Task.CompletedTask;
}
