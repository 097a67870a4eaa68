using Microsoft.CodeAnalysis.Text;

namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>Source text with the expected location of a diagnostic marked <c>[|like this|]</c>, as Roslyn's own tests write it.</summary>
internal sealed record Markup(string Source, TextSpan Span)
{
    public static Markup Parse(string markup)
    {
        int start = markup.IndexOf("[|", StringComparison.Ordinal);
        int end = markup.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start && markup.IndexOf("[|", start + 2, StringComparison.Ordinal) < 0, "Mark exactly one span with [| and |].");
        string source = markup.Remove(end, 2).Remove(start, 2);
        return new Markup(source, TextSpan.FromBounds(start, end - 2));
    }
}
