using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>What the JSON walk asks of a type or member: can generated code reach it, name it, and who else can.</summary>
internal static class TypeFacts
{
    /// <summary>
    /// Whether generated code in <paramref name="compilation"/> may name <paramref name="type"/>: at once for a type public
    /// all the way out (with public type arguments), which every type of this compilation or a referenced assembly is
    /// to it; otherwise as the compiler decides (an internal type is, in its own assembly or one that grants it access).
    /// </summary>
    public static bool IsAccessibleType(ITypeSymbol type, Compilation compilation)
        => (type is IArrayTypeSymbol or INamedTypeSymbol && IsEffectivelyPublic(type))
            || compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);

    /// <summary>Whether generated code in the compilation's assembly can use <paramref name="symbol"/> (public or internal, and accessible).</summary>
    public static bool IsAccessible(ISymbol symbol, Compilation compilation) =>
        symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
        && compilation.IsSymbolAccessibleWithin(symbol, compilation.Assembly);

    /// <summary>Whether generated code could declare a <c>JsonTypeInfo&lt;T&gt;</c> property of the type.</summary>
    public static bool IsNameable(ITypeSymbol type, Compilation compilation) =>
        type.TypeKind is not (TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.TypeParameter)
        && !type.IsRefLikeType
        && type.SpecialType != SpecialType.System_Void
        && !ContainsTypeParameter(type)
        && !(type is INamedTypeSymbol { IsStatic: true })
        && !(type is INamedTypeSymbol { IsUnboundGenericType: true })
        && IsAccessibleType(type, compilation);

    public static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        IPointerTypeSymbol pointer => ContainsTypeParameter(pointer.PointedAtType),
        INamedTypeSymbol named => named.IsUnboundGenericType || named.TypeArguments.Any(ContainsTypeParameter)
            || (named.ContainingType is not null && ContainsTypeParameter(named.ContainingType)),
        _ => false,
    };

    public static bool ImplementsEnumerable(INamedTypeSymbol type) =>
        type.SpecialType == SpecialType.System_Collections_IEnumerable
        || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    /// <summary>
    /// Whether code outside the assembly could name the type (public, with every type that contains it and every type
    /// argument of each): decides between a public and an internal property.
    /// </summary>
    public static bool IsEffectivelyPublic(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsEffectivelyPublic(array.ElementType);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }

                    foreach (ITypeSymbol argument in current.TypeArguments)
                    {
                        if (!IsEffectivelyPublic(argument))
                        {
                            return false;
                        }
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
