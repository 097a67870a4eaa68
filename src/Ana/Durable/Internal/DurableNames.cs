using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ana.Durable;

/// <summary>The names of what durable work lives in: docs/durable.md, "Names".</summary>
internal static partial class DurableNames
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>JetStream's limit on a stream's name.</summary>
    public const int MaxStreamNameLength = 255;

    /// <summary>
    /// The work-queue stream of a prefix: <c>ANA_WORK_</c> and the prefix with every <c>.</c> turned into <c>_</c>
    /// (<c>cc.fleet</c> → <c>ANA_WORK_cc_fleet</c>). Prefix tokens are already free of what stream names forbid (spaces,
    /// <c>*</c>, <c>&gt;</c>, path separators), except the dots.
    /// </summary>
    /// <exception cref="ArgumentException">The name would be longer than JetStream allows.</exception>
    public static string WorkStream(string prefix)
    {
        string name = "ANA_WORK_" + prefix.Replace('.', '_');
        if (name.Length > MaxStreamNameLength)
        {
            throw new ArgumentException($"The prefix '{prefix}' makes the work stream name '{name[..40]}…' longer than JetStream's {MaxStreamNameLength} characters.", nameof(prefix));
        }

        return name;
    }

    /// <summary>
    /// The stream of a prefix's parked messages: <c>ANA_PARKED_</c> and the prefix with every <c>.</c> turned into <c>_</c>,
    /// by the same rule as <see cref="WorkStream"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name would be longer than JetStream allows.</exception>
    public static string ParkedStream(string prefix)
    {
        string name = "ANA_PARKED_" + prefix.Replace('.', '_');
        if (name.Length > MaxStreamNameLength)
        {
            throw new ArgumentException($"The prefix '{prefix}' makes the parked stream name '{name[..40]}…' longer than JetStream's {MaxStreamNameLength} characters.", nameof(prefix));
        }

        return name;
    }

    /// <summary>The subjects the parked stream of <paramref name="prefix"/> stores: <c>&lt;prefix&gt;.*.parked.&gt;</c>.</summary>
    public static string ParkedSubjects(string prefix) => prefix + ".*.parked.>";

    /// <summary>The id a parked copy is deduplicated by: <c>parked-&lt;stream sequence of the original&gt;</c>, so that parking it twice stores it once.</summary>
    public static string ParkedMessageId(ulong sequence) => "parked-" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The id a replayed parked message is stored again under: <c>replay-&lt;parked sequence&gt;</c>, so that replaying it twice stores it once.</summary>
    public static string ReplayMessageId(ulong parkedSequence) => "replay-" + parkedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The subjects the work stream of <paramref name="prefix"/> stores: <c>&lt;prefix&gt;.*.work.&gt;</c>.</summary>
    public static string WorkSubjects(string prefix) => prefix + ".*.work.>";

    /// <summary>The id JetStream deduplicates a durable message by: <c>&lt;agent&gt;.&lt;topic&gt;.&lt;request id&gt;</c> (the window is per stream, shared by the prefix's agents).</summary>
    public static string MessageId(string agent, string topic, string requestId) => string.Concat(agent, ".", topic, ".", requestId);

    /// <summary>
    /// The completion-record bucket of a prefix: <c>ANA_DONE_</c> and the prefix with every <c>.</c> turned into <c>_</c>,
    /// and every other character a bucket name may not hold (it allows <c>[A-Za-z0-9_-]</c>) into <c>_</c> too. Two prefixes
    /// that meet in one bucket never share a key: a key starts with its consumer's name, a hash of the prefix and more.
    /// </summary>
    /// <exception cref="ArgumentException">The name would be longer than JetStream allows for the bucket's stream.</exception>
    public static string CompletionBucket(string prefix)
    {
        StringBuilder name = new("ANA_DONE_", 9 + prefix.Length);
        foreach (char c in prefix)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        if (name.Length + 3 > MaxStreamNameLength)
        {
            throw new ArgumentException($"The prefix '{prefix}' makes the completion bucket's stream name longer than JetStream's {MaxStreamNameLength} characters.", nameof(prefix));
        }

        return name.ToString();
    }

    /// <summary>
    /// The key of a stored message's completion record: <c>&lt;consumer&gt;.&lt;request id&gt;</c> when the request id
    /// is made of <c>[A-Za-z0-9_-]</c> (every id the SDK makes, every idempotency key), else <c>&lt;consumer&gt;.=</c> and
    /// the id's <see cref="Hash"/> (a key allows few characters, and <c>=</c> is in no plain id, so the two forms never meet).
    /// </summary>
    public static string CompletionKey(string consumer, string requestId)
        => RecordableId().IsMatch(requestId) ? string.Concat(consumer, ".", requestId) : string.Concat(consumer, ".=", Hash(requestId));

    /// <summary>The SHA-256 of <paramref name="text"/>'s UTF-8 in lower-case base32, without padding: 52 characters that are a single token and a file name anywhere.</summary>
    public static string Hash(string text)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        StringBuilder name = new(52);
        int buffer = 0;
        int bits = 0;
        foreach (byte b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                name.Append(Base32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            name.Append(Base32[(buffer << (5 - bits)) & 31]);
        }

        return name.ToString();
    }

    /// <summary>Whether <paramref name="key"/> may be a durable message's idempotency key: <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
    public static bool IsIdempotencyKey(string key) => IdempotencyKey().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdempotencyKey();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordableId();
}
