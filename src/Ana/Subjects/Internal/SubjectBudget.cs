using System.Text;

namespace Ana;

/// <summary>
/// The length budget of the protocol lines a bus writes. nats-server closes the connection of a client that sends a
/// line longer than its <c>max_control_line</c> (4,096 bytes unless configured; the server does not advertise it), so
/// every line is held to <see cref="AgentBusOptions.MaxControlLineBytes"/>, counted in UTF-8 bytes for the longest form
/// the bus writes: <c>HPUB &lt;subject&gt; &lt;reply-to&gt; &lt;header size&gt; &lt;total size&gt;\r\n</c>, with both
/// sizes at ten digits (any payload up to 2 GiB).
/// </summary>
internal sealed class SubjectBudget
{
    /// <summary>
    /// What a line holds besides its subject and reply-to: <c>HPUB</c> (4), four spaces, two sizes of ten digits each
    /// and <c>\r\n</c> (2).
    /// </summary>
    public const int Framing = 4 + 4 + 10 + 10 + 2;

    public SubjectBudget(int maxControlLineBytes, int replyToBytes)
    {
        MaxControlLineBytes = maxControlLineBytes;
        ReplyToBytes = replyToBytes;
    }

    /// <summary>The longest line allowed.</summary>
    public int MaxControlLineBytes { get; }

    /// <summary>The UTF-8 length of this bus's reply-to (its inbox and a request id).</summary>
    public int ReplyToBytes { get; }

    /// <summary>The length of the longest line that publishes on <paramref name="subject"/> with <paramref name="replyTo"/>.</summary>
    public static int LineBytes(string subject, string? replyTo)
        => Framing + Encoding.UTF8.GetByteCount(subject) + (replyTo is null ? 0 : Encoding.UTF8.GetByteCount(replyTo));

    /// <summary>Checks <see cref="AgentBusOptions.MaxControlLineBytes"/> before anything connects.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is below <see cref="AgentBusOptions.MinControlLineBytes"/>.</exception>
    public static void Validate(AgentBusOptions options)
    {
        if (options.MaxControlLineBytes < AgentBusOptions.MinControlLineBytes)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(options)}.{nameof(AgentBusOptions.MaxControlLineBytes)}",
                options.MaxControlLineBytes,
                $"The protocol line budget must be at least {AgentBusOptions.MinControlLineBytes} bytes (nats-server's default max_control_line is {AgentBusOptions.DefaultMaxControlLineBytes}).");
        }
    }

    /// <summary>Whether a publish on <paramref name="subject"/> with a reply-to of <paramref name="replyToBytes"/> bytes fits.</summary>
    public bool Fits(string subject, int replyToBytes)
    {
        // UTF-8 takes at most three bytes per UTF-16 char: most subjects fit without being counted.
        return Framing + (subject.Length * 3) + replyToBytes <= MaxControlLineBytes
            || Framing + Encoding.UTF8.GetByteCount(subject) + replyToBytes <= MaxControlLineBytes;
    }

    /// <summary>Whether a publish on <paramref name="subject"/> with <paramref name="replyTo"/> fits.</summary>
    public bool Fits(string subject, string? replyTo)
        => Fits(subject, replyTo is null ? 0 : Encoding.UTF8.GetByteCount(replyTo));

    /// <summary>Refuses a query on <paramref name="subject"/> (with this bus's inbox when <paramref name="withInbox"/>) that does not fit.</summary>
    /// <exception cref="ArgumentException">The line would be too long; the message names the agent, the topic and the sizes.</exception>
    public void EnsureQueryFits(string subject, bool withInbox, string agent, string? topic)
    {
        int replyToBytes = withInbox ? ReplyToBytes : 0;
        if (!Fits(subject, replyToBytes))
        {
            throw new ArgumentException(
                $"A query to '{SubjectToken.Printable(agent)}' on topic '{SubjectToken.Printable(topic ?? string.Empty)}' would write a protocol line of "
                + $"{Framing + Encoding.UTF8.GetByteCount(subject) + replyToBytes} bytes, more than AgentBusOptions.MaxControlLineBytes ({MaxControlLineBytes}): "
                + "the server would close the connection. Shorten the topic or the agent name.",
                nameof(topic));
        }
    }

    /// <summary>Refuses a publish on <paramref name="subject"/> with <paramref name="replyTo"/> that does not fit.</summary>
    /// <exception cref="ArgumentException">The line would be too long.</exception>
    public void EnsurePublishFits(string subject, string? replyTo)
    {
        if (!Fits(subject, replyTo))
        {
            throw new ArgumentException(
                $"Publishing on '{SubjectToken.Printable(subject)}' would write a protocol line of {LineBytes(subject, replyTo)} bytes, "
                + $"more than AgentBusOptions.MaxControlLineBytes ({MaxControlLineBytes}): the server would close the connection.",
                nameof(subject));
        }
    }
}
