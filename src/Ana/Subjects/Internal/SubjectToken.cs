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

        EnsureWithinCap(agent, "Agent name", "an agent name", SubjectScheme.MaxAgentBytes, paramName);
    }

    /// <summary>A whole subject to publish on: no wildcard, whitespace, control character or empty token.</summary>
    public static void ValidateSubject(string? subject, string paramName)
        => ValidateDotted(subject, "Subject", paramName);

    /// <summary>
    /// A subject to subscribe to: non-empty tokens, no whitespace or control character, the wildcards <c>*</c> and
    /// <c>&gt;</c> only as whole tokens and <c>&gt;</c> only as the last; a queue group, if any, one token without wildcards.
    /// </summary>
    public static void ValidateFilter(string subject, string? queueGroup)
    {
        string[] tokens = subject.Split('.');
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i];
            string? problem = token is "*" || (token is ">" && i == tokens.Length - 1) ? null
                : token is ">" ? "'>' stands before its last token."
                : FindProblem(token, allowDots: false) is { } tokenProblem ? $"token {i + 1} is not valid: {tokenProblem}"
                : null;
            if (problem is not null)
            {
                throw new ArgumentException($"Subject '{Printable(subject)}' is not valid: {problem}", nameof(subject));
            }
        }

        if (queueGroup is not null && FindProblem(queueGroup, allowDots: true) is { } queueProblem)
        {
            throw new ArgumentException($"Queue group '{Printable(queueGroup)}' is not valid: {queueProblem}", nameof(queueGroup));
        }
    }

    public static void ValidatePrefix(string? prefix, string paramName)
    {
        ValidateDotted(prefix, "Prefix", paramName);
        EnsureWithinCap(prefix!, "Prefix", "a prefix", SubjectScheme.MaxPrefixBytes, paramName);
    }

    public static void ValidateTopic(string? topic, string paramName)
    {
        ValidateDotted(topic, "Topic", paramName);
        EnsureWithinCap(topic!, "Topic", "a topic", SubjectScheme.MaxTopicBytes, paramName);
    }

    /// <summary>Why <paramref name="value"/> is longer than <paramref name="maxBytes"/> in UTF-8, or <see langword="null"/>.</summary>
    public static string? FindLengthProblem(string value, int maxBytes)
    {
        // UTF-8 takes at most three bytes per UTF-16 char: most names are within the cap without being counted.
        if (value.Length * 3 <= maxBytes)
        {
            return null;
        }

        int bytes = Encoding.UTF8.GetByteCount(value);
        return bytes <= maxBytes ? null : $"it is {bytes} bytes long in UTF-8, longer than the cap of {maxBytes} bytes.";
    }

    /// <summary>At most 64 characters of <paramref name="value"/>, control characters escaped: safe to show in a message or a log.</summary>
    public static string Printable(string value)
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

    private static void ValidateDotted(string? value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (FindProblem(value, allowDots: true) is { } problem)
        {
            throw new ArgumentException($"{what} '{Printable(value)}' is not valid: {problem}", paramName);
        }
    }

    private static void EnsureWithinCap(string value, string what, string aWhat, int maxBytes, string paramName)
    {
        if (value.Length * 3 > maxBytes && Encoding.UTF8.GetByteCount(value) is int bytes && bytes > maxBytes)
        {
            throw new ArgumentException(
                $"{what} '{Printable(value)}' is {bytes} bytes long in UTF-8; {aWhat} is at most {maxBytes} bytes, so that every protocol line the bus writes stays within the server's limit.",
                paramName);
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
}
