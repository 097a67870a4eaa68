using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Ana.Contracts.Generator;

/// <summary>A source location as plain values, so that a model holding it stays equatable and symbol-free.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());

    public static LocationInfo? From(ISymbol symbol) => symbol.Locations.Length > 0 ? From(symbol.Locations[0]) : null;
}
