using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ana.Contracts.Infrastructure;

namespace Ana;

/// <summary>
/// The <c>data</c> of an envelope the bus writes, in the form it has when the envelope is written, so that
/// <see cref="HotEnvelopeWriter"/> writes it into the envelope's buffer in place: no <see cref="JsonElement"/> is built
/// for it first and written again. Implemented by structs, taken as a constrained type argument: nothing is boxed.
/// </summary>
internal interface IEnvelopeData
{
    /// <summary>Whether the envelope has no <c>data</c> field (it is omitted, as the serializer omits a <see langword="null"/>).</summary>
    bool IsAbsent { get; }

    /// <summary>Writes the value of <c>data</c>.</summary>
    void Write(Utf8JsonWriter writer);
}

/// <summary>
/// A call's <c>data</c>: the typed arguments of a generated client's call, written straight from the values, or JSON
/// given by the caller (an untyped query, a hand-written client, a filter's reply).
/// </summary>
internal readonly struct CallData : IEnvelopeData
{
    private readonly ContractCallArguments? _arguments;
    private readonly JsonElement? _json;

    private CallData(ContractCallArguments? arguments, JsonElement? json)
    {
        _arguments = arguments;
        _json = json;
    }

    /// <summary>The JSON given by the caller; <see langword="null"/> for typed arguments.</summary>
    public JsonElement? Json => _json;

    public bool IsAbsent => _arguments is { } arguments ? !arguments.HasData : _json is null;

    /// <summary>No <c>data</c>: an error reply, or a call without arguments from a hand-written client.</summary>
    public static CallData None => default;

    public static CallData Of(ContractCallArguments arguments) => new(arguments, json: null);

    public static CallData Of(JsonElement? json) => new(arguments: null, json);

    public void Write(Utf8JsonWriter writer)
    {
        if (_arguments is { } arguments)
        {
            arguments.WriteData(writer);
        }
        else
        {
            _json!.Value.WriteTo(writer);
        }
    }
}

/// <summary>A method's result as a reply's <c>data</c>, serialized into the reply's buffer with the contract's metadata.</summary>
internal readonly struct ResultData<T> : IEnvelopeData
{
    private readonly T _value;
    private readonly JsonTypeInfo<T> _typeInfo;

    public ResultData(T value, JsonTypeInfo<T> typeInfo)
    {
        _value = value;
        _typeInfo = typeInfo;
    }

    public bool IsAbsent => false;

    public void Write(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, _value, _typeInfo);
}
