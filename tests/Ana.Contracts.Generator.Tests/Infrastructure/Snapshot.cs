using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>
/// A small snapshot helper in Verify's conventions, until Verify is reachable: for a test <c>Class.Method</c>, each
/// generated file <c>Hint.g.cs</c> is compared with <c>Class.Method#Hint.g.verified.cs</c> next to the test's source.
/// On a difference, <c>Class.Method#Hint.g.received.cs</c> is written beside it and the test fails with a diff; with
/// <c>ANA_ACCEPT_SNAPSHOTS=1</c> the received text becomes the verified one. The generator's version is scrubbed.
/// </summary>
internal static partial class Snapshot
{
    public const string AcceptVariable = "ANA_ACCEPT_SNAPSHOTS";

    /// <summary>Compares each of <paramref name="files"/> (hint name → text) with its verified snapshot; reports every mismatch at once.</summary>
    public static void Verify(
        IEnumerable<(string HintName, string Text)> files,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string testMethod = "")
    {
        string directory = Path.GetDirectoryName(testFile)!;
        string testClass = Path.GetFileNameWithoutExtension(testFile);
        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true";
        StringBuilder failures = new();
        HashSet<string> expected = new(StringComparer.Ordinal);

        foreach ((string hintName, string text) in files)
        {
            string stem = Path.Combine(directory, $"{testClass}.{testMethod}#{StripExtension(hintName)}");
            string verifiedPath = stem + ".verified.cs";
            string receivedPath = stem + ".received.cs";
            expected.Add(Path.GetFileName(verifiedPath));
            string received = Scrub(text);
            string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

            if (verified == received)
            {
                File.Delete(receivedPath);
                continue;
            }

            if (accept)
            {
                File.WriteAllText(verifiedPath, received);
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, received);
            failures.AppendLine(verified is null
                ? $"New snapshot {Path.GetFileName(verifiedPath)}: received written to {receivedPath}"
                : $"Snapshot {Path.GetFileName(verifiedPath)} differs (received written to {receivedPath}):");
            failures.AppendLine(Diff(verified ?? string.Empty, received));
        }

        // A verified file that the run no longer produces is a difference too.
        foreach (string stale in Directory.EnumerateFiles(directory, $"{testClass}.{testMethod}#*.verified.cs"))
        {
            if (!expected.Contains(Path.GetFileName(stale)))
            {
                if (accept)
                {
                    File.Delete(stale);
                }
                else
                {
                    failures.AppendLine($"Snapshot {Path.GetFileName(stale)} was not produced by this run.");
                }
            }
        }

        if (failures.Length > 0)
        {
            Assert.Fail(failures + $"Review the difference; set {AcceptVariable}=1 and run again to accept it.");
        }
    }

    /// <summary>The text as stored: the generator's version replaced, line endings normalized.</summary>
    public static string Scrub(string text)
        => Normalize(GeneratedCodeVersion().Replace(text, "$1\"Ana.Contracts.Generator\", \"{version}\")"));

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string StripExtension(string hintName)
        => hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;

    /// <summary>A unified-style line diff: the longest common subsequence, with a few lines of context around each change.</summary>
    public static string Diff(string expected, string actual, int context = 3)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int[,] lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        List<(char Kind, string Text, int Line)> lines = new();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x], x + 1));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', a[x], x + 1));
                x++;
            }
            else
            {
                lines.Add(('+', b[y], y + 1));
                y++;
            }
        }

        // Show every changed line with `context` unchanged lines around it; elide the rest.
        bool[] shown = new bool[lines.Count];
        for (int k = 0; k < lines.Count; k++)
        {
            if (lines[k].Kind != ' ')
            {
                for (int m = Math.Max(0, k - context); m <= Math.Min(lines.Count - 1, k + context); m++)
                {
                    shown[m] = true;
                }
            }
        }

        StringBuilder output = new();
        for (int k = 0; k < lines.Count; k++)
        {
            if (!shown[k])
            {
                continue;
            }

            if (k == 0 || !shown[k - 1])
            {
                output.AppendLine($"@@ line {lines[k].Line} @@");
            }

            output.Append(lines[k].Kind).Append(' ').AppendLine(lines[k].Text);
        }

        return output.ToString();
    }

    [GeneratedRegex("(GeneratedCode\\()\"Ana\\.Contracts\\.Generator\", \"[^\"]*\"\\)")]
    private static partial Regex GeneratedCodeVersion();
}
