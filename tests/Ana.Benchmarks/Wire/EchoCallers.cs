using Ana.Benchmarks.Contract;
using NATS.Client.Core;

namespace Ana.Benchmarks.Wire;

/// <summary>One way of making the benchmark's call: send <see cref="Reading.Sample"/>, get it back, check it.</summary>
internal interface IEchoCaller
{
    ValueTask CallAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The baseline: <see cref="NatsConnection.RequestAsync{TRequest,TReply}"/> with the System.Text.Json generator's serializer,
/// to <paramref name="subject"/> (a hand-written responder's, or a NATS micro endpoint's).
/// </summary>
internal sealed class RawRequestCaller(NatsConnection connection, string subject = BenchSubjects.RawEcho) : IEchoCaller
{
    private static readonly NatsJsonContextSerializer<Reading> Serializer = new(ReferenceJsonContext.Default);

    public async ValueTask CallAsync(CancellationToken cancellationToken)
    {
        NatsMsg<Reading> reply = await connection.RequestAsync(
            subject, Reading.Sample, requestSerializer: Serializer, replySerializer: Serializer, cancellationToken: cancellationToken);
        EchoCheck.Verify(reply.Data);
    }
}

/// <summary>The typed path: the generated client of <see cref="IBench"/>, calling <paramref name="agent"/>.</summary>
internal sealed class TypedCaller(AgentBus bus, string agent) : IEchoCaller
{
    private readonly IBench _client = bus.Client<IBench>(agent);

    public async ValueTask CallAsync(CancellationToken cancellationToken)
        => EchoCheck.Verify(await _client.EchoAsync(Reading.Sample, cancellationToken).ConfigureAwait(false));
}

internal static class EchoCheck
{
    /// <summary>A wrong answer stops the benchmark: a fast path that returns garbage is not fast.</summary>
    public static void Verify(Reading? reply)
    {
        if (reply != Reading.Sample)
        {
            throw new InvalidOperationException($"The echo came back as {reply?.ToString() ?? "null"}, not {Reading.Sample}.");
        }
    }
}
