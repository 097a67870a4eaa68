using System.Text;

namespace Ana.Tests.Reliability;

/// <summary>
/// Reproducible hostile subject tokens and reply-to subjects: long (past the bus's caps and its line budget, but short
/// enough for the sender's own line), wildcards, control characters, non-ASCII, empty tokens. The same seed gives the
/// same stream.
/// </summary>
internal sealed class FuzzedSubjects(int seed)
{
    /// <summary>The longest token sent: with the rest of a subject and a payload size it fits the sender's 4,096-byte line.</summary>
    public const int MaxTokenLength = 3_900;

    private static readonly string[] Fixed =
    [
        "*", ">", "a*b", "a>", "*.x", "x.>", "..", "a..b", ".a", "a.", "é", "日本語", "😀", "Ωmega.δelta", "a\u0001b", "a\u007Fb",
        "a\u0085b", "a\u200Bb", "\uFEFF", "a\0b", "a%b", "a/b", "a\"b", "a'b", "_INBOX", "$SYS", "a\u00A0b",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Every fixed attack, then <paramref name="randomCount"/> random ones.</summary>
    public IEnumerable<string> Tokens(int randomCount)
    {
        foreach (string token in Fixed)
        {
            yield return token;
        }

        foreach (int length in new[] { SubjectScheme.MaxTopicBytes + 1, 2_000, 3_000, MaxTokenLength })
        {
            yield return new string('x', length);
        }

        yield return new string('é', 600);
        yield return string.Concat(Enumerable.Repeat("ab.", 1_000))[..^1];
        for (int i = 0; i < randomCount; i++)
        {
            yield return Random();
        }
    }

    /// <summary>A reply-to for the <paramref name="index"/>th message: none, valid, or one of the attacks.</summary>
    public string? ReplyTo(int index, string validInbox) => (index % 8) switch
    {
        0 => null,
        1 => validInbox,
        2 => "_INBOX.x.>",
        3 => "_INBOX..x",
        4 => "_INBOX.a\u0001b",
        5 => "_INBOX." + new string('r', 2_000 + _random.Next(100)),
        6 => "_INBOX.é日本",
        _ => "_INBOX.*",
    };

    private string Random()
    {
        int length = _random.Next(10) == 0 ? _random.Next(1_000, MaxTokenLength) : _random.Next(1, 24);
        StringBuilder token = new(length);
        for (int i = 0; i < length; i++)
        {
            token.Append(_random.Next(10) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => "*>."[_random.Next(3)],
                2 => (char)_random.Next(0x80, 0x800),
                3 => (char)_random.Next(0x3000, 0x9FFF),
                _ => (char)_random.Next('a', 'z' + 1),
            });
        }

        return token.ToString();
    }
}
