using System.ComponentModel;

namespace Ana.Contracts.Infrastructure;

/// <summary>
/// The JSON Schemas (draft 2020-12) of one contract method, written by the generator from the same shapes as the
/// method's JSON metadata: what a peer in any language may send as the query's <c>data</c>, and what the reply's
/// <c>data</c> holds. Each describes every form the generated reader accepts, so that a check against it never refuses
/// what the server would accept.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContractMethodSchemas
{
    /// <summary>Holds one method's schemas, as compact JSON text.</summary>
    /// <param name="arguments">The schema of the arguments object (the query's <c>data</c>).</param>
    /// <param name="result">The schema of the result (the reply's <c>data</c>; each item's, for a stream), or <see langword="null"/> for a method without one.</param>
    /// <param name="progress">The schema of a progress report, or <see langword="null"/> for a method that reports none.</param>
    public ContractMethodSchemas(string arguments, string? result, string? progress)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Arguments = arguments;
        Result = result;
        Progress = progress;
    }

    /// <summary>The schema of the arguments object (the query's <c>data</c>).</summary>
    public string Arguments { get; }

    /// <summary>The schema of the result (the reply's <c>data</c>; each item's, for a stream), or <see langword="null"/> for a method without one.</summary>
    public string? Result { get; }

    /// <summary>The schema of a progress report (an <c>ack</c>'s <c>progress</c>), or <see langword="null"/> for a method that reports none.</summary>
    public string? Progress { get; }
}
