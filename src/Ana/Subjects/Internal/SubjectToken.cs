using System.Text;

namespace Ana;

/// <summary>The rules for the names that go into a subject: agent names, topics and prefixes.</summary>
internal static class SubjectToken
{
    public static void ValidateAgent(string? agent, string paramName)
    {
        ArgumentNullException.ThrowIfNull(agent, paramName);
        if (FindProblem(agent, allowDots: false) is { } problem)
        {
            throw new ArgumentException($"Agent name '{Printable(agent)}' is not valid: {problem}", paramName);
        }
    }

    public static void ValidateDotted(string? value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (FindProblem(value, allowDots: true) is { } problem)
        {
            throw new ArgumentException($"{what} '{Printable(value)}' is not valid: {problem}", paramName);
        }
    }

    /// <summary>Why <paramref name="value"/> cannot stand in a subject, or <see langword="null"/> when it can.</summary>
    public static string? FindProblem(ReadOnlySpan<char> value, bool allowDots)
    {
        if (value.IsEmpty)
        {
            return "it is empty.";
        }

        int tokenStart = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '.' when !allowDots:
                    return $"it contains '.' at position {i}, which would split it into several subject tokens.";
                case '.':
                    if (i == tokenStart)
                    {
                        return $"it has an empty token at position {i}.";
                    }

                    tokenStart = i + 1;
                    break;
                case '*' or '>':
                    return $"it contains the wildcard '{c}' at position {i}, which would subscribe to more than intended.";
                default:
                    if (char.IsWhiteSpace(c) || char.IsControl(c))
                    {
                        return $"it contains whitespace or the control character U+{(int)c:X4} at position {i}.";
                    }

                    break;
            }
        }

        return tokenStart == value.Length ? "it ends with '.', leaving an empty token." : null;
    }

    private static string Printable(string value)
    {
        const int max = 64;
        StringBuilder shown = new(Math.Min(value.Length, max) + 8);
        foreach (char c in value.Length > max ? value.AsSpan(0, max) : value.AsSpan())
        {
            if (char.IsControl(c))
            {
                shown.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                shown.Append(c);
            }
        }

        return value.Length > max ? shown.Append('…').ToString() : shown.ToString();
    }
}
