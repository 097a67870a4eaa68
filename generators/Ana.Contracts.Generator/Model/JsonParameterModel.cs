namespace Ana.Contracts.Generator.Model;

/// <summary>
/// A constructor parameter or a member initializer of the parameterized creator. <paramref name="Position"/> is its index in the
/// creator's argument array, or -1 for a constructor argument whose type cannot be serialized (passed as <c>default!</c>).
/// </summary>
/// <param name="Name">The parameter's name, or the member's name for a member initializer.</param>
/// <param name="TypeName">Fully qualified with nullable annotations, for casts.</param>
/// <param name="TypeOfName">Fully qualified without nullable annotations, for <c>typeof</c>.</param>
/// <param name="Position">Index in the argument array, or -1.</param>
/// <param name="HasDefaultValue">Whether the constructor parameter is optional.</param>
/// <param name="DefaultValueLiteral">Its default value as a C# expression.</param>
/// <param name="NonNullMember">
/// For a non-nullable reference type (nullable annotations enabled): the C# name of the property it binds to, whose JSON name
/// the creator's refusal of <c>null</c> reports; otherwise null.
/// </param>
internal sealed record JsonParameterModel(
    string Name,
    string TypeName,
    string TypeOfName,
    int Position,
    bool HasDefaultValue,
    string? DefaultValueLiteral,
    string? NonNullMember = null);
