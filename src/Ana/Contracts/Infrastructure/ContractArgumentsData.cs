using System.ComponentModel;
using System.Text.Json;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// A query's <c>data</c> as a document for as long as a generated dispatcher reads its arguments from it: over the bytes
/// the query came as, with the document's own tables rented from a pool and given back on <see cref="Dispose"/>. Used
/// by generated code (see <see cref="ContractArguments.Open(Query)"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ContractArgumentsData : IDisposable
{
    private readonly JsonDocument? _document;

    internal ContractArgumentsData(JsonElement? data, JsonDocument? document)
    {
        Data = data;
        _document = document;
    }

    /// <summary>The query's <c>data</c>; valid until <see cref="Dispose"/>. Values read from it are copies, valid after.</summary>
    public JsonElement? Data { get; }

    /// <summary>Gives the document's tables back to the pool.</summary>
    public void Dispose() => _document?.Dispose();
}
