namespace Ana.Transport.Memory;

/// <summary>Validates NATS subjects and matches them against subscription patterns with <c>*</c> and <c>&gt;</c>.</summary>
internal static class SubjectMatcher
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="subject"/> is a literal subject (no wildcard tokens).</summary>
    public static void ValidatePublishSubject(string subject, string paramName) => Validate(subject, allowWildcards: false, paramName);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="subject"/> is a valid subscription pattern.</summary>
    public static void ValidateSubscribeSubject(string subject, string paramName) => Validate(subject, allowWildcards: true, paramName);

    /// <summary>Throws <see cref="ArgumentException"/> if a non-null queue group is empty or contains white space.</summary>
    public static void ValidateQueueGroup(string? queueGroup, string paramName)
    {
        if (queueGroup is null)
        {
            return;
        }

        if (queueGroup.Length == 0)
        {
            throw new ArgumentException("A queue group must not be empty; pass null for none.", paramName);
        }

        foreach (char c in queueGroup)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"Queue group '{queueGroup}' contains white space.", paramName);
            }
        }
    }

    /// <summary>
    /// Whether the literal <paramref name="subject"/> matches <paramref name="pattern"/>.
    /// Both must have been validated.
    /// </summary>
    public static bool Matches(string subject, string pattern)
    {
        ReadOnlySpan<char> sub = subject;
        ReadOnlySpan<char> pat = pattern;

        // Invariant: both spans hold at least one token.
        while (true)
        {
            int patDot = pat.IndexOf('.');
            ReadOnlySpan<char> patToken = patDot < 0 ? pat : pat[..patDot];
            if (patToken is ">")
            {
                return true;
            }

            int subDot = sub.IndexOf('.');
            ReadOnlySpan<char> subToken = subDot < 0 ? sub : sub[..subDot];
            if (!(patToken is "*") && !patToken.SequenceEqual(subToken))
            {
                return false;
            }

            if (patDot < 0 || subDot < 0)
            {
                return patDot < 0 && subDot < 0;
            }

            pat = pat[(patDot + 1)..];
            sub = sub[(subDot + 1)..];
        }
    }

    private static void Validate(string subject, bool allowWildcards, string paramName)
    {
        ArgumentNullException.ThrowIfNull(subject, paramName);
        if (subject.Length == 0)
        {
            throw new ArgumentException("A subject must not be empty.", paramName);
        }

        int tokenStart = 0;
        for (int i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length)
            {
                char c = subject[i];
                if (char.IsWhiteSpace(c))
                {
                    throw new ArgumentException($"Subject '{subject}' contains white space.", paramName);
                }

                if (c != '.')
                {
                    continue;
                }
            }

            int length = i - tokenStart;
            if (length == 0)
            {
                throw new ArgumentException($"Subject '{subject}' has an empty token.", paramName);
            }

            if (length == 1 && subject[tokenStart] is '*' or '>')
            {
                if (!allowWildcards)
                {
                    throw new ArgumentException($"Cannot publish to subject '{subject}': it contains a wildcard.", paramName);
                }

                if (subject[tokenStart] == '>' && i != subject.Length)
                {
                    throw new ArgumentException($"Subject '{subject}' has '>' before its last token.", paramName);
                }
            }

            tokenStart = i + 1;
        }
    }
}
