using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana.Contracts;

/// <summary>Builds the <c>data</c> object of a call, one argument at a time. Used by generated clients.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContractArgumentsWriter : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly PooledBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _writer;

    /// <summary>Starts an empty arguments object.</summary>
    public ContractArgumentsWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        _writer.WriteStartObject();
    }

    /// <summary>Adds the argument <paramref name="name"/>.</summary>
    public void Write<T>(string name, T? value, JsonTypeInfo<T> typeInfo)
    {
        _writer.WritePropertyName(name);
        JsonSerializer.Serialize(_writer, value!, typeInfo);
    }

    /// <summary>Finishes the object and returns it as the query's <c>data</c>.</summary>
    public JsonElement ToData()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        using JsonDocument document = JsonDocument.Parse(_buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }
}
