using System.Diagnostics.CodeAnalysis;

namespace Ana;

/// <summary>
/// Builds and parses ana subjects, <c>&lt;prefix&gt;.&lt;agent&gt;.&lt;verb&gt;[.&lt;topic&gt;]</c>. Every name is checked,
/// so a subject built here never holds a wildcard and never subscribes to more than it names.
/// </summary>
public sealed class SubjectScheme
{
    /// <summary>The prefix of the Python package and of this runtime unless configured otherwise.</summary>
    public const string DefaultPrefix = "cc.fleet";

    /// <summary>
    /// The longest prefix, in UTF-8 bytes. With <see cref="MaxAgentBytes"/> and <see cref="MaxTopicBytes"/> it keeps the
    /// longest line the bus writes (a query with its inbox: 1,374 bytes at the caps) well within nats-server's default
    /// <c>max_control_line</c> of 4,096 bytes (see docs/protocol.md, "Subject length budget").
    /// </summary>
    public const int MaxPrefixBytes = 128;

    /// <summary>The longest agent name, in UTF-8 bytes.</summary>
    public const int MaxAgentBytes = 128;

    /// <summary>The longest topic (all its tokens and the dots between them), in UTF-8 bytes.</summary>
    public const int MaxTopicBytes = 1024;

    /// <summary>The scheme with <see cref="DefaultPrefix"/>.</summary>
    public static SubjectScheme Default { get; } = new(DefaultPrefix);

    /// <summary>Creates a scheme for a fleet prefix such as <c>cc.fleet</c> or <c>myfleet.v1</c>.</summary>
    /// <exception cref="ArgumentException">The prefix is empty, has an invalid token or is longer than <see cref="MaxPrefixBytes"/>.</exception>
    public SubjectScheme(string prefix)
    {
        SubjectToken.ValidatePrefix(prefix, nameof(prefix));
        Prefix = prefix;
    }

    /// <summary>The fleet prefix, one or more dot-separated tokens.</summary>
    public string Prefix { get; }

    /// <summary>Builds <c>&lt;prefix&gt;.&lt;agent&gt;.&lt;verb&gt;[.&lt;topic&gt;]</c>.</summary>
    /// <exception cref="ArgumentException">
    /// The agent name or the topic is not valid, or longer than <see cref="MaxAgentBytes"/> or <see cref="MaxTopicBytes"/>;
    /// the message says which name and why.
    /// </exception>
    public string Build(string agent, SubjectVerb verb, string? topic = null)
    {
        SubjectToken.ValidateAgent(agent, nameof(agent));
        string verbToken = VerbToken(verb);
        if (topic is null)
        {
            return string.Concat(Prefix, ".", agent, ".", verbToken);
        }

        SubjectToken.ValidateTopic(topic, nameof(topic));
        return string.Join('.', Prefix, agent, verbToken, topic);
    }

    /// <summary>Builds the subject of <paramref name="subject"/>.</summary>
    public string Build(AgentSubject subject) => Build(subject.Agent, subject.Verb, subject.Topic);

    /// <summary>The wildcard for everything in an agent's namespace: <c>&lt;prefix&gt;.&lt;agent&gt;.&gt;</c>.</summary>
    public string AgentWildcard(string agent)
    {
        SubjectToken.ValidateAgent(agent, nameof(agent));
        return string.Concat(Prefix, ".", agent, ".>");
    }

    /// <summary>The wildcard for one verb of an agent, any topic: <c>&lt;prefix&gt;.&lt;agent&gt;.&lt;verb&gt;.&gt;</c>.</summary>
    public string VerbWildcard(string agent, SubjectVerb verb)
    {
        SubjectToken.ValidateAgent(agent, nameof(agent));
        return string.Concat(Prefix, ".", agent, ".", VerbToken(verb), ".>");
    }

    /// <summary>The wildcard for the whole fleet: <c>&lt;prefix&gt;.&gt;</c>.</summary>
    public string FleetWildcard => Prefix + ".>";

    /// <summary>Parses a subject of this scheme.</summary>
    /// <exception cref="FormatException">The subject is not under <see cref="Prefix"/> or is not of the form agent.verb[.topic].</exception>
    public AgentSubject Parse(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (TryParse(subject, out AgentSubject parsed, out string? problem))
        {
            return parsed;
        }

        throw new FormatException($"Subject '{subject}' is not an ana subject under '{Prefix}': {problem}");
    }

    /// <summary>Parses a subject of this scheme, or returns <see langword="false"/>.</summary>
    public bool TryParse(string? subject, out AgentSubject parsed) => TryParse(subject, out parsed, out _);

    /// <summary>The token of <paramref name="verb"/>, e.g. <c>query</c>.</summary>
    public static string VerbToken(SubjectVerb verb) => verb switch
    {
        SubjectVerb.Query => "query",
        SubjectVerb.Reply => "reply",
        SubjectVerb.Ack => "ack",
        SubjectVerb.Discovery => "discovery",
        SubjectVerb.Policy => "policy",
        SubjectVerb.Pulse => "pulse",
        SubjectVerb.Work => "work",
        SubjectVerb.Parked => "parked",
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "Not an ana verb."),
    };

    private static bool TryParseVerb(ReadOnlySpan<char> token, out SubjectVerb verb)
    {
        switch (token)
        {
            case "query": verb = SubjectVerb.Query; return true;
            case "reply": verb = SubjectVerb.Reply; return true;
            case "ack": verb = SubjectVerb.Ack; return true;
            case "discovery": verb = SubjectVerb.Discovery; return true;
            case "policy": verb = SubjectVerb.Policy; return true;
            case "pulse": verb = SubjectVerb.Pulse; return true;
            case "work": verb = SubjectVerb.Work; return true;
            case "parked": verb = SubjectVerb.Parked; return true;
            default: verb = default; return false;
        }
    }

    /// <summary>Parses a subject of this scheme, or says why it is not one (names longer than their caps are not checked).</summary>
    internal bool TryParse(string? subject, out AgentSubject parsed, [NotNullWhen(false)] out string? problem)
    {
        parsed = default;
        if (subject is null || subject.Length <= Prefix.Length + 1
            || !subject.StartsWith(Prefix, StringComparison.Ordinal) || subject[Prefix.Length] != '.')
        {
            problem = "it does not start with the prefix.";
            return false;
        }

        ReadOnlySpan<char> rest = subject.AsSpan(Prefix.Length + 1);
        int agentEnd = rest.IndexOf('.');
        if (agentEnd <= 0)
        {
            problem = "it has no verb after the agent name.";
            return false;
        }

        ReadOnlySpan<char> agent = rest[..agentEnd];
        rest = rest[(agentEnd + 1)..];
        int verbEnd = rest.IndexOf('.');
        ReadOnlySpan<char> verbToken = verbEnd < 0 ? rest : rest[..verbEnd];
        if (!TryParseVerb(verbToken, out SubjectVerb verb))
        {
            problem = $"'{verbToken}' is not an ana verb.";
            return false;
        }

        string? topic = verbEnd < 0 ? null : rest[(verbEnd + 1)..].ToString();
        problem = SubjectToken.FindProblem(agent, allowDots: false) ?? (topic is null ? null : SubjectToken.FindProblem(topic, allowDots: true));
        if (problem is not null)
        {
            return false;
        }

        parsed = new AgentSubject(agent.ToString(), verb, topic);
        return true;
    }
}
