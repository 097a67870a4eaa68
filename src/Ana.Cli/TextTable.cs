using System.Globalization;
using System.Text;

namespace Ana.Cli;

/// <summary>The plain-text tables the verbs print: columns padded to their widest cell plus two spaces, the last one unpadded.</summary>
internal static class TextTable
{
    /// <summary>The rows (the first is the header) as lines of text.</summary>
    public static string Format(IReadOnlyList<string[]> rows)
    {
        int[] widths = new int[rows[0].Length];
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        StringBuilder table = new();
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                table.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            table.Append('\n');
        }

        return table.ToString();
    }

    /// <summary>A time as the tables show it: UTC, to the second, ISO 8601.</summary>
    public static string Time(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
