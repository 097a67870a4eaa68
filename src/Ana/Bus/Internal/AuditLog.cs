using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>
/// Appends one JSON line per publish, <c>{"ts":…,"subject":…,"reply_to":…,"envelope":{…}}</c>, written in order by one
/// background writer so that publishing never waits for the disk. Disposing flushes every line.
/// </summary>
internal sealed class AuditLog : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Channel<byte[]> _lines = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly FileStream _file;
    private readonly Task _writer;

    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    public AuditLog(string path, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096, useAsync: true);
        _writer = Task.Run(WriteLinesAsync);
    }

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
        _lines.Writer.TryWrite(line);
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLinesAsync()
    {
        try
        {
            await using FileStream file = _file;
            while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_lines.Reader.TryRead(out byte[]? line))
                {
                    await file.WriteAsync(line).ConfigureAwait(false);
                }

                await file.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.AuditLogFailed(_logger, _path, ex);
        }
    }
}
