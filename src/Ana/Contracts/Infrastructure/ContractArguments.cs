using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana.Contracts.Infrastructure;

/// <summary>Reads a call's arguments from the query's <c>data</c> object and writes results. Used by generated dispatchers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ContractArguments
{
    /// <summary>
    /// The <c>data</c> of <paramref name="query"/> to read its arguments from, then dispose: for a query read off the wire,
    /// the bytes it came as (no copy, nothing parsed ahead); otherwise its <see cref="Query.Data"/>, written once.
    /// </summary>
    public static ContractArgumentsData Open(Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.ReceivedData is { } received ? new ContractArgumentsData(received, written: null) : ContractArgumentsData.Of(query.Data);
    }

    /// <summary>A query's <c>data</c> given as a document (arguments received and then looked at by a filter), to read its arguments from, then dispose.</summary>
    public static ContractArgumentsData Open(JsonElement? data) => ContractArgumentsData.Of(data);

    /// <summary>The <c>bad_request</c> of an argument that is required but absent or <c>null</c>.</summary>
    public static AnaException Missing(string name) => new(AnaErrorCodes.BadRequest, $"The argument '{name}' is missing.");

    /// <summary>Reads the argument <paramref name="name"/>; it must be present and not <c>null</c>.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the argument is missing, <c>null</c> or of the wrong shape.</exception>
    public static T ReadRequired<T>(JsonElement? arguments, string name, JsonTypeInfo<T> typeInfo)
    {
        if (!TryFind(arguments, name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Missing(name);
        }

        return Deserialize(value, name, typeInfo)
            ?? throw Missing(name);
    }

    /// <summary>Reads the argument <paramref name="name"/>, or returns <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the argument is of the wrong shape.</exception>
    public static T? ReadOptional<T>(JsonElement? arguments, string name, JsonTypeInfo<T> typeInfo, T? fallback)
        => TryFind(arguments, name, out JsonElement value) ? Deserialize(value, name, typeInfo) : fallback;

    /// <summary>Turns a method's result into the reply's <c>data</c>: for hand-written dispatchers (generated ones write it in place, with <see cref="InboundContext.ReplyDataAsync{T}(T, JsonTypeInfo{T}, CancellationToken)"/>).</summary>
    public static JsonElement ToData<T>(T? value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToElement(value!, typeInfo);

    /// <summary>How arguments and results are written: as every envelope is (see <see cref="EnvelopeSerializer"/>).</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes the argument <paramref name="name"/> into the <c>data</c> object being written.</summary>
    public static void Write<T>(Utf8JsonWriter writer, string name, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, typeInfo);
    }

    private static bool TryFind(JsonElement? arguments, string name, out JsonElement value)
    {
        if (arguments is { ValueKind: JsonValueKind.Object } data)
        {
            return data.TryGetProperty(name, out value);
        }

        if (arguments is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            throw new AnaException(AnaErrorCodes.BadRequest, $"The arguments must be a JSON object, not {arguments.Value.ValueKind}.");
        }

        value = default;
        return false;
    }

    private static T? Deserialize<T>(JsonElement value, string name, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return DiscriminatorOrder.Normalize(value, typeInfo).Deserialize(typeInfo);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw NotValid(name, ex);
        }
    }

    /// <summary>
    /// The <c>bad_request</c> for argument <paramref name="name"/>, which System.Text.Json could not read: a
    /// <see cref="JsonException"/> (with its JSON path), or a <see cref="NotSupportedException"/> (an abstract polymorphic
    /// base without, or before, on .NET 8, its type discriminator cannot be instantiated).
    /// </summary>
    internal static AnaException NotValid(string name, Exception ex)
        => new(AnaErrorCodes.BadRequest, $"The argument '{name}' is not valid: {(ex is JsonException json ? WithPath(json) : ex.Message)}", ex);

    /// <summary>The exception's message, with its JSON path when the message does not hold it (the contract's own checks).</summary>
    internal static string WithPath(JsonException ex)
        => ex.Path is { Length: > 0 } path && !ex.Message.Contains(path, StringComparison.Ordinal)
            ? $"{ex.Message} Path: {path}."
            : ex.Message;
}
