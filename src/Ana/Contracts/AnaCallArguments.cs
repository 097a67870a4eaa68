using System.Diagnostics.CodeAnalysis;

namespace Ana.Contracts;

/// <summary>
/// The arguments of one contract call, typed, as filters see them: by position (<see cref="GetValue{T}(int)"/>) or by
/// the parameter's name (<see cref="TryGetValue{T}(string, out T)"/>). Generated code supplies them, without reflection:
/// on the calling side, the values the client was called with; on the serving side, the query's <c>data</c>, read the
/// first time a value is asked for (and then handed to the method as it is, not read again).
/// </summary>
/// <remarks>
/// On the serving side, reading a value reads every argument: an argument that is missing or of the wrong shape throws
/// the <see cref="AnaException"/> with code <c>bad_request</c> that the method would have failed with, so a filter that
/// lets it escape answers the call as the method would have. Meant to be read on the call's own flow, not concurrently.
/// Reading a value type through <see cref="GetValue{T}(int)"/> or <see cref="TryGetValue{T}(string, out T)"/> does not box it.
/// </remarks>
public abstract class AnaCallArguments
{
    /// <summary>
    /// Starts the arguments of <paramref name="method"/>. Only the generated arguments derive from this class, through
    /// <see cref="Infrastructure.ContractCallArguments"/>: its members to implement are not visible outside Ana.
    /// </summary>
    protected AnaCallArguments(AnaContractMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        Method = method;
    }

    /// <summary>The method called.</summary>
    public AnaContractMethod Method { get; }

    /// <summary>How many arguments the method takes (its cancellation token aside).</summary>
    public int Count => Method.ParameterNames.Count;

    /// <summary>The name of the parameter at <paramref name="index"/>, as the contract declares it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public string GetName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Method.ParameterNames[index];
    }

    /// <summary>The position of the parameter named <paramref name="name"/> (ordinal comparison), or -1 when there is none.</summary>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<string> names = Method.ParameterNames;
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The argument at <paramref name="index"/>, boxed if it is a value type.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="AnaException"><c>bad_request</c>: the query's arguments are missing or of the wrong shape.</exception>
    public object? GetValue(int index) => GetValue<object?>(index);

    /// <summary>The argument at <paramref name="index"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="InvalidCastException">The argument is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="AnaException"><c>bad_request</c>: the query's arguments are missing or of the wrong shape.</exception>
    public T GetValue<T>(int index)
    {
        string name = GetName(index);
        EnsureBound();
        return TryGetValueCore(index, out T? value)
            ? value!
            : throw new InvalidCastException($"The argument '{name}' of {Method} is not a {typeof(T)}.");
    }

    /// <summary>
    /// Reads the argument named <paramref name="name"/> (the parameter's name as the contract declares it); false when
    /// the method has no such parameter or its value is not a <typeparamref name="T"/>.
    /// </summary>
    /// <exception cref="AnaException"><c>bad_request</c>: the query's arguments are missing or of the wrong shape.</exception>
    public bool TryGetValue<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        int index = IndexOf(name);
        if (index < 0)
        {
            value = default;
            return false;
        }

        EnsureBound();
        return TryGetValueCore(index, out value);
    }

    /// <summary>Reads the values from the query's <c>data</c> if that has not been done yet.</summary>
    private protected abstract void EnsureBound();

    /// <summary>Reads the argument at <paramref name="index"/> (below <see cref="Count"/>, bound already) as a <typeparamref name="T"/>.</summary>
    private protected abstract bool TryGetValueCore<T>(int index, [MaybeNullWhen(false)] out T value);
}
