using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator;

/// <summary>
/// Values written as C# source: identifiers, string literals and constants. The one place that decides how a constant
/// (a parameter's default value, say) reads in generated code, for the contracts and for their JSON contexts alike.
/// </summary>
internal static class CSharpLiteral
{
    /// <summary>A name as a C# identifier: keywords escaped with <c>@</c>.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A quoted, escaped C# string literal.</summary>
    public static string String(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>
    /// A non-null constant of <paramref name="type"/> (or of <c>Nullable&lt;T&gt;</c> of it) as a C# expression of that
    /// type: an enum value by its member's name (<c>global::Demo.Priority.High</c>), or cast when no member has the value.
    /// </summary>
    public static string Constant(ITypeSymbol type, object value)
    {
        ITypeSymbol underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;
        if (underlying.TypeKind != TypeKind.Enum)
        {
            return Constant(value);
        }

        string enumType = underlying.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        IFieldSymbol? member = underlying.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(field => field.HasConstantValue && Equals(field.ConstantValue, value));
        return member is not null ? enumType + "." + Identifier(member.Name) : "(" + enumType + ")(" + Constant(value) + ")";
    }

    /// <summary>A constant of a built-in type as a C# literal of exactly that type (<c>5L</c>, <c>(short)5</c>, <c>double.NaN</c>).</summary>
    public static string Constant(object value) => value switch
    {
        string text => String(text),
        char character => SymbolDisplay.FormatLiteral(character, quote: true),
        bool flag => Bool(flag),
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
        ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
        short number => "(short)" + number.ToString(CultureInfo.InvariantCulture),
        ushort number => "(ushort)" + number.ToString(CultureInfo.InvariantCulture),
        byte number => "(byte)" + number.ToString(CultureInfo.InvariantCulture),
        sbyte number => "(sbyte)" + number.ToString(CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture) + "M",
        float number when float.IsNaN(number) => "float.NaN",
        float number when float.IsPositiveInfinity(number) => "float.PositiveInfinity",
        float number when float.IsNegativeInfinity(number) => "float.NegativeInfinity",
        float number => number.ToString("R", CultureInfo.InvariantCulture) + "F",
        double number when double.IsNaN(number) => "double.NaN",
        double number when double.IsPositiveInfinity(number) => "double.PositiveInfinity",
        double number when double.IsNegativeInfinity(number) => "double.NegativeInfinity",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + "D",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
    };
}
