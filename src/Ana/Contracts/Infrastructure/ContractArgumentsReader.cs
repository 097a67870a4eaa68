using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// Reads a call's arguments from the bytes of the query's <c>data</c> object in one forward pass: each property the
/// method knows is deserialized from its bytes where it stands, the others are skipped. A generated <c>Read</c> walks it
/// with <see cref="MoveNext"/> and <see cref="NameIs"/>, and applies the contract's rules for missing and <c>null</c>
/// arguments after the walk, so that a property given twice counts as its last value (as System.Text.Json reads objects).
/// Used by generated code (see <see cref="ContractArgumentsData.CreateReader"/>).
/// </summary>
/// <remarks>
/// It exists so that a served call parses no document for its arguments: the dispatcher used to build a pooled
/// <see cref="JsonDocument"/> over the bytes and look each argument up in it, which costs a parse of the whole object
/// into the document's tables before the values are read from them again.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct ContractArgumentsReader
{
    private Utf8JsonReader _reader;
    private readonly bool _hasData;
    private bool _started;

    internal ContractArgumentsReader(ReadOnlySpan<byte> data)
    {
        _reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = EnvelopeSerializer.MaxDepth });
        _hasData = !data.IsEmpty;
        _started = false;
    }

    /// <summary>Moves to the next property of the arguments object; <see langword="false"/> after the last one, or when the query has no <c>data</c>.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the data is not a JSON object.</exception>
    public bool MoveNext()
    {
        // No data: no arguments (an empty input is not JSON to the reader, so it is never read).
        if (!_hasData)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (!_reader.Read() || _reader.TokenType == JsonTokenType.Null)
            {
                return false;
            }

            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                throw new AnaException(AnaErrorCodes.BadRequest, $"The arguments must be a JSON object, not {KindOf(_reader.TokenType)}.");
            }
        }

        return _reader.Read() && _reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Whether the current property is named <paramref name="name"/> (its name on the wire, unescaped).</summary>
    public readonly bool NameIs(string name) => _reader.ValueTextEquals(name);

    /// <summary>Reads the current property's value as the argument <paramref name="name"/>; <c>null</c> is read as the type reads it.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the value is of the wrong shape.</exception>
    public T? ReadValue<T>(JsonTypeInfo<T> typeInfo, string name)
    {
        _reader.Read();
        return Deserialize(typeInfo, name);
    }

    /// <summary>
    /// Reads the current property's value as the argument <paramref name="name"/>, which must not be <c>null</c>:
    /// <paramref name="found"/> is <see langword="false"/> when it is (the argument then counts as missing, and the value
    /// returned is the type's default).
    /// </summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the value is of the wrong shape.</exception>
    public T ReadRequiredValue<T>(JsonTypeInfo<T> typeInfo, string name, out bool found)
    {
        _reader.Read();
        T? value = _reader.TokenType == JsonTokenType.Null ? default : Deserialize(typeInfo, name);
        found = value is not null;
        return value!;
    }

    /// <summary>Skips the current property's value: an argument the method does not have.</summary>
    public void Skip() => _reader.Skip();

    private T? Deserialize<T>(JsonTypeInfo<T> typeInfo, string name)
    {
        try
        {
            if (DiscriminatorOrder.MayReorder(typeInfo))
            {
                return DiscriminatorOrder.Normalize(JsonElement.ParseValue(ref _reader), typeInfo).Deserialize(typeInfo);
            }

            return JsonSerializer.Deserialize(ref _reader, typeInfo);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw ContractArguments.NotValid(name, ex);
        }
    }

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Undefined,
    };
}
