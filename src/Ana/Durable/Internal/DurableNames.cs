using System.Text.RegularExpressions;

namespace Ana.Durable;

/// <summary>The names of what durable work lives in: docs/durable.md, "Names".</summary>
internal static partial class DurableNames
{
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

    /// <summary>The subjects the work stream of <paramref name="prefix"/> stores: <c>&lt;prefix&gt;.*.work.&gt;</c>.</summary>
    public static string WorkSubjects(string prefix) => prefix + ".*.work.>";

    /// <summary>The id JetStream deduplicates a durable message by: <c>&lt;agent&gt;.&lt;topic&gt;.&lt;request id&gt;</c> (the window is per stream, shared by the prefix's agents).</summary>
    public static string MessageId(string agent, string topic, string requestId) => string.Concat(agent, ".", topic, ".", requestId);

    /// <summary>Whether <paramref name="key"/> may be a durable message's idempotency key: <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
    public static bool IsIdempotencyKey(string key) => IdempotencyKey().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdempotencyKey();
}
