namespace Ana.Contracts.Generator.Parsing;

/// <summary>The rules for names that go into a subject, as the runtime's <c>SubjectToken</c> applies them at run time.</summary>
internal static class SubjectTokenRules
{
    /// <summary>The longest agent name in UTF-8 bytes: the runtime's <c>SubjectScheme.MaxAgentBytes</c>.</summary>
    public const int MaxAgentBytes = 128;

    /// <summary>The longest topic in UTF-8 bytes: the runtime's <c>SubjectScheme.MaxTopicBytes</c>.</summary>
    public const int MaxTopicBytes = 1024;

    /// <summary>The UTF-8 length of <paramref name="value"/> when it is over <paramref name="maxBytes"/>, else <see langword="null"/>.</summary>
    public static int? LengthOverCap(string value, int maxBytes)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        return bytes > maxBytes ? bytes : null;
    }

    /// <summary>At most 64 characters of a long name, for a message.</summary>
    public static string Shortened(string value) => value.Length > 64 ? value.Substring(0, 64) + "…" : value;

    /// <summary>Why <paramref name="value"/> cannot be a subject token (or dotted tokens), or <see langword="null"/> when it can; as the runtime's <c>SubjectToken</c> checks it.</summary>
    public static string? FindProblem(string value, bool allowDots)
    {
        if (value.Length == 0)
        {
            return "it is empty";
        }

        int tokenStart = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '.' when !allowDots:
                    return $"it contains '.' at position {i}, which would split it into several subject tokens";
                case '.':
                    if (i == tokenStart)
                    {
                        return $"it has an empty token at position {i}";
                    }

                    tokenStart = i + 1;
                    break;
                case '*' or '>':
                    return $"it contains the wildcard '{c}' at position {i}";
                default:
                    if (char.IsWhiteSpace(c) || char.IsControl(c))
                    {
                        return $"it contains whitespace or a control character at position {i}";
                    }

                    break;
            }
        }

        return tokenStart == value.Length ? "it ends with '.', leaving an empty token" : null;
    }
}
