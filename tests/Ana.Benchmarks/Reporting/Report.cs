using System.Globalization;
using System.Text;

namespace Ana.Benchmarks.Reporting;

/// <summary>
/// The figures of one run, each next to its baseline from the same run and their ratio, printed as a Markdown table.
/// Targets are shown, never asserted: these machines are shared and noisy.
/// </summary>
internal sealed class Report
{
    private readonly List<ReportRow> _rows = [];
    private readonly List<string> _sections = [];

    public void Add(string section, string figure, double value, double baseline, string unit, Target? target = null)
    {
        ReportRow row = new(section, figure, value, baseline, unit, target);
        _rows.Add(row);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {figure}: {Format(value, unit)} vs {Format(baseline, unit)} = {row.Ratio:0.00}x"));
    }

    /// <summary>A section of its own shape (the peers' table), printed after the rows.</summary>
    public void AddSection(string markdown) => _sections.Add(markdown);

    public string ToMarkdown(string header)
    {
        StringBuilder text = new();
        text.AppendLine(header).AppendLine();
        string? section = null;
        foreach (ReportRow row in _rows)
        {
            if (row.Section != section)
            {
                section = row.Section;
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"### {section}").AppendLine();
                text.AppendLine("| figure | Ana.Contracts | baseline | ratio | target | met |");
                text.AppendLine("|---|---:|---:|---:|---|---|");
            }

            string met = row.Target is { } target ? (target.IsMet(row.Ratio) ? "yes" : "**no**") : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Figure} | {Format(row.Value, row.Unit)} | {Format(row.Baseline, row.Unit)} | {row.Ratio:0.00} | {row.Target?.ToString() ?? ""} | {met} |");
        }

        foreach (string extra in _sections)
        {
            text.AppendLine().Append(extra);
        }

        return text.ToString();
    }

    private static string Format(double value, string unit)
        => string.Create(CultureInfo.InvariantCulture, $"{(value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture))} {unit}");

    private sealed record ReportRow(string Section, string Figure, double Value, double Baseline, string Unit, Target? Target)
    {
        public double Ratio => Baseline == 0 ? (Value == 0 ? 1 : double.PositiveInfinity) : Value / Baseline;
    }
}

/// <summary>A bound on a ratio: <c>≤ 1.10</c> or <c>≥ 1.00</c>.</summary>
internal sealed record Target(bool AtMost, double Bound)
{
    public static Target Max(double bound) => new(true, bound);

    public static Target Min(double bound) => new(false, bound);

    public bool IsMet(double ratio) => AtMost ? ratio <= Bound : ratio >= Bound;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ratio {(AtMost ? "≤" : "≥")} {Bound:0.00}");
}
