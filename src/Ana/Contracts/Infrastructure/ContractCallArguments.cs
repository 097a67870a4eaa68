using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The base of the generated arguments of one contract method, as filters see them (<see cref="AnaCallArguments"/>):
/// the values a client was called with, written as the query's <c>data</c> once, when first needed; or the <c>data</c>
/// of a query received, read into values once, when first asked for. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ContractCallArguments : AnaCallArguments
{
    private JsonElement? _data;
    private bool _hasData;
    private bool _hasValues = true;

    /// <summary>Starts the arguments of <paramref name="method"/>; the derived constructor sets the values.</summary>
    protected ContractCallArguments(AnaContractMethod method)
        : base(method)
    {
    }

    /// <summary>
    /// The query's <c>data</c> as a document: the one received, or the values written once, when a filter first asks for
    /// it. A call that no filter asks writes its values straight into the query's envelope instead (<see cref="WriteData"/>).
    /// </summary>
    internal JsonElement? Data
    {
        get
        {
            if (!_hasData)
            {
                _data = ToData();
                _hasData = true;
            }

            return _data;
        }
    }

    /// <summary>Whether the query has <c>data</c>: a method without parameters sends none.</summary>
    internal bool HasData => _hasValues ? Count > 0 : _data is not null;

    /// <summary>Writes the query's <c>data</c>: the values, in place; or, for arguments received and not read, the data received.</summary>
    internal void WriteData(Utf8JsonWriter writer)
    {
        if (!_hasValues)
        {
            _data?.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        WriteArguments(writer);
        writer.WriteEndObject();
    }

    /// <summary>Makes these the arguments of a query received with <paramref name="data"/>: its values are read when first asked for.</summary>
    protected void Receive(JsonElement? data)
    {
        _data = data;
        _hasData = true;
        _hasValues = false;
    }

    /// <summary>Reads the values from the query's <c>data</c> unless they are read already.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: an argument is missing or of the wrong shape.</exception>
    protected void EnsureValues()
    {
        if (!_hasValues)
        {
            Bind(_data);
            _hasValues = true;
        }
    }

    /// <summary>Reads every value from <paramref name="data"/>, as the dispatcher reads them.</summary>
    /// <exception cref="AnaException"><c>bad_request</c>: an argument is missing or of the wrong shape.</exception>
    protected abstract void Bind(JsonElement? data);

    /// <summary>Writes each value as a property of the query's <c>data</c> object, named as the contract names it on the wire.</summary>
    protected abstract void WriteArguments(Utf8JsonWriter writer);

    /// <summary>Reads the argument at <paramref name="index"/> (below <see cref="AnaCallArguments.Count"/>, read already) as a <typeparamref name="T"/>.</summary>
    protected abstract bool TryGetValue<T>(int index, [MaybeNullWhen(false)] out T value);

    /// <summary>
    /// <paramref name="argument"/> as a <typeparamref name="T"/>, without boxing when both are the same value type;
    /// <see langword="null"/> is a <typeparamref name="T"/> that admits it.
    /// </summary>
    protected static bool TryCast<TArgument, T>(TArgument argument, [MaybeNullWhen(false)] out T value)
    {
        if (argument is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return argument is null && default(T) is null;
    }

    private protected sealed override void EnsureBound() => EnsureValues();

    private JsonElement? ToData()
    {
        if (!HasData)
        {
            return null;
        }

        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer, ContractArguments.WriterOptions))
        {
            WriteData(writer);
        }

        Utf8JsonReader reader = new(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private protected sealed override bool TryGetValueCore<T>(int index, [MaybeNullWhen(false)] out T value) => TryGetValue(index, out value);
}
