using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Ana.Contracts.Generator;

/// <summary>A source location as plain values, so that a model holding it stays equatable and symbol-free.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in <paramref name="compilation"/>'s syntax tree of <see cref="FilePath"/>, so that the diagnostic is
    /// in source (<c>#pragma warning disable</c> and editor squiggles apply); a location by path alone when no tree matches.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath)
            {
                return TextSpan.End <= tree.Length ? Location.Create(tree, TextSpan) : Location.Create(FilePath, TextSpan, LineSpan);
            }
        }

        return Location.Create(FilePath, TextSpan, LineSpan);
    }

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
