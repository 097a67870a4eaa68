using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ana.Cli;

/// <summary>
/// Where the CLI writes: JSON lines and tables on standard output (each line flushed as soon as it is written),
/// one-line messages on standard error, with every known secret masked.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // As EnvelopeSerializer writes: UTF-8 as is, one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly Stream _stdout;
    private readonly TextWriter _stderr;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public CliOutput(Stream stdout, TextWriter stderr, Redactor redactor)
    {
        _stdout = stdout;
        _stderr = stderr;
        Redactor = redactor;
    }

    public Redactor Redactor { get; }

    /// <summary>Writes <paramref name="envelope"/> as one JSON line, exactly as it travels on the wire.</summary>
    /// <exception cref="IOException">Standard output is closed (e.g. the reading end of a pipe exited).</exception>
    public void WriteEnvelope(Envelope envelope)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            EnvelopeSerializer.Serialize(_buffer, envelope);
            FlushLine();
        }
    }

    /// <summary>Writes <c>{"subject": ..., "reply_to": ..., "envelope": {...}}</c> as one JSON line.</summary>
    /// <exception cref="IOException">Standard output is closed.</exception>
    public void WriteInbound(string subject, string? replyTo, Envelope envelope)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (Utf8JsonWriter writer = new(_buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("subject"u8, subject);
                if (replyTo is not null)
                {
                    writer.WriteString("reply_to"u8, replyTo);
                }

                writer.WritePropertyName("envelope"u8);
                EnvelopeSerializer.Write(writer, envelope);
                writer.WriteEndObject();
            }

            FlushLine();
        }
    }

    /// <summary>Writes one JSON object built by <paramref name="write"/> as one line.</summary>
    /// <exception cref="IOException">Standard output is closed.</exception>
    public void WriteJsonLine(Action<Utf8JsonWriter> write)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (Utf8JsonWriter writer = new(_buffer, WriterOptions))
            {
                write(writer);
            }

            FlushLine();
        }
    }

    /// <summary>Writes plain text lines (a table) to standard output.</summary>
    public void WriteText(string text)
    {
        lock (_gate)
        {
            _stdout.Write(System.Text.Encoding.UTF8.GetBytes(text));
            _stdout.Flush();
        }
    }

    /// <summary>Writes <c>ana: MESSAGE</c> on standard error, secrets masked.</summary>
    public void Error(string message)
    {
        lock (_gate)
        {
            _stderr.WriteLine("ana: " + Redactor.Redact(message));
            _stderr.Flush();
        }
    }

    /// <summary>Writes raw text (usage, help) on standard error, secrets masked.</summary>
    public void ErrorText(string text)
    {
        lock (_gate)
        {
            _stderr.Write(Redactor.Redact(text));
            _stderr.Flush();
        }
    }

    private void FlushLine()
    {
        _buffer.Write("\n"u8);
        _stdout.Write(_buffer.WrittenSpan);
        _stdout.Flush();
    }
}
