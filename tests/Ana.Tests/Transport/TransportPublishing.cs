using Ana.Transport;

namespace Ana.Tests;

/// <summary>A publish without headers, the form most transport tests use.</summary>
internal static class TransportPublishing
{
    public static ValueTask PublishAsync(this ITransport transport, string subject, string? replyTo, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        transport.PublishAsync(subject, replyTo, headers: null, payload, cancellationToken);
}
