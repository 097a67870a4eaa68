using System.Buffers;
using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// Builds the <c>data</c> object of a call, one argument at a time, as a document: for hand-written clients (generated
/// ones write their arguments straight into the query, through <see cref="ContractCallArguments"/>).
/// </summary>
/// <remarks>
/// A writer owns its JSON writer and buffer from construction to <see cref="Dispose"/>: it takes them from a per-thread
/// cache of idle ones (or makes new ones) and gives them back to the cache of the thread that disposes it. Nothing is
/// shared while it is in use, so awaiting between calls, or nesting writers, is safe; the cache only saves allocations.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContractArgumentsWriter : IDisposable
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private Scratch? _scratch;

    /// <summary>Starts an empty arguments object.</summary>
    public ContractArgumentsWriter()
    {
        _scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        _scratch.Writer.WriteStartObject();
    }

    private Utf8JsonWriter Writer => (_scratch ?? throw new ObjectDisposedException(nameof(ContractArgumentsWriter))).Writer;

    /// <summary>Adds the argument <paramref name="name"/>.</summary>
    public void Write<T>(string name, T? value, JsonTypeInfo<T> typeInfo)
    {
        Utf8JsonWriter writer = Writer;
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value!, typeInfo);
    }

    /// <summary>Finishes the object and returns it as the query's <c>data</c>.</summary>
    /// <exception cref="InvalidOperationException">The object was finished already.</exception>
    public JsonElement ToData()
    {
        Utf8JsonWriter writer = Writer;
        if (writer.CurrentDepth == 0)
        {
            throw new InvalidOperationException("The arguments object is finished already.");
        }

        writer.WriteEndObject();
        writer.Flush();
        Utf8JsonReader reader = new(_scratch!.Buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Gives the writer back for the next call on this thread.</summary>
    public void Dispose()
    {
        if (_scratch is not { } scratch)
        {
            return;
        }

        _scratch = null;
        if (scratch.TryReset())
        {
            t_scratch = scratch;
        }
    }

    private sealed class Scratch
    {
        // An argument object larger than this is not kept for the next call.
        private const int MaxKeptBytes = 64 * 1024;

        private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

        public Scratch() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);

        public ArrayBufferWriter<byte> Buffer { get; } = new(256);

        public Utf8JsonWriter Writer { get; }

        public bool TryReset()
        {
            if (Buffer.Capacity > MaxKeptBytes)
            {
                return false;
            }

            Buffer.ResetWrittenCount();
            Writer.Reset();
            return true;
        }
    }
}
