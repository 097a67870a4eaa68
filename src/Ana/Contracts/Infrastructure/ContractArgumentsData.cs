using System.ComponentModel;
using System.Text.Json;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The bytes of a query's <c>data</c> for as long as a generated <c>Read</c> reads its arguments from them: the bytes the
/// query came as (no copy), or, for a query made in code or arguments a filter looked at, the document written once
/// into a buffer rented from the pool and given back on <see cref="Dispose"/>. Used by generated code (see
/// <see cref="ContractArguments.Open(Query)"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ContractArgumentsData : IDisposable
{
    private readonly byte[]? _received;
    private readonly PooledBufferWriter? _written;

    internal ContractArgumentsData(byte[]? received, PooledBufferWriter? written)
    {
        _received = received;
        _written = written;
    }

    /// <summary>A reader of the arguments, positioned before the first; valid until <see cref="Dispose"/>. Values read from it are copies, valid after.</summary>
    public ContractArgumentsReader CreateReader() => new(_written is { } written ? written.WrittenSpan : _received);

    /// <summary>Gives a rented buffer back to the pool.</summary>
    public void Dispose() => _written?.Dispose();

    internal static ContractArgumentsData Of(JsonElement? data)
    {
        if (data is not { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value)
        {
            return default;
        }

        PooledBufferWriter buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer, ContractArguments.WriterOptions))
        {
            value.WriteTo(writer);
        }

        return new ContractArgumentsData(received: null, buffer);
    }
}
