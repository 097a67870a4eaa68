using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>
/// A bus's handle on its audit log: appends one JSON line per publish, <c>{"ts":…,"subject":…,"reply_to":…,"envelope":{…}}</c>,
/// to the process's one writer of that full path (<see cref="AuditFile"/>), so that publishing never waits for the
/// disk and buses sharing a path never overwrite each other. Disposing flushes every line this bus recorded.
/// </summary>
internal sealed class AuditLog : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AuditFile _file;
    private int _disposed;

    /// <exception cref="IOException">The file cannot be opened for writing.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public AuditLog(string path, ILogger logger) => _file = AuditFile.Acquire(FullPath(path), logger);

    /// <summary>The normalized full path buses share a writer by.</summary>
    public static string FullPath(string path) => Path.GetFullPath(path);

    public void Record(string subject, string? replyTo, ReadOnlySpan<byte> envelopeJson)
    {
        using PooledBufferWriter buffer = new(envelopeJson.Length + 128);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("ts"u8);
            IsoTimestamp.WriteUtc(writer, DateTimeOffset.UtcNow);
            writer.WriteString("subject"u8, subject);
            if (replyTo is not null)
            {
                writer.WriteString("reply_to"u8, replyTo);
            }

            writer.WritePropertyName("envelope"u8);
            writer.WriteRawValue(envelopeJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        byte[] line = new byte[buffer.WrittenSpan.Length + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        _file.Append(line);
    }

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? _file.ReleaseAsync() : ValueTask.CompletedTask;
}
