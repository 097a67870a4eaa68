using System.Runtime.CompilerServices;
using Ana.Contracts;

namespace Ana.Benchmarks.Contract;

/// <summary>The contract of the streams benchmark: a stream of readings, and the same echo with and without a heartbeat.</summary>
[AnaAgent("stream-bench")]
public partial interface IStreamBench
{
    /// <summary>Topic <c>readings</c>: <paramref name="count"/> copies of <see cref="Reading.Sample"/>, as fast as credit allows.</summary>
    IAsyncEnumerable<Reading> ReadingsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>echo</c>: returns <paramref name="reading"/>.</summary>
    Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken = default);

    /// <summary>Topic <c>echo_with_heartbeat</c>: the same, with a heartbeat deadline it finishes long before.</summary>
    [AnaHeartbeat(30)]
    Task<Reading> EchoWithHeartbeatAsync(Reading reading, CancellationToken cancellationToken = default);
}

/// <summary>The server side of <see cref="IStreamBench"/>.</summary>
internal sealed class StreamBench : IStreamBench
{
    public async IAsyncEnumerable<Reading> ReadingsAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Reading.Sample;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<Reading> EchoAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);

    public Task<Reading> EchoWithHeartbeatAsync(Reading reading, CancellationToken cancellationToken) => Task.FromResult(reading);
}
