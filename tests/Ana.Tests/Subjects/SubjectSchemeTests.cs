using CsCheck;

namespace Ana.Tests.Subjects;

public class SubjectSchemeTests
{
    [Theory]
    [InlineData("cc.fleet", "alice", SubjectVerb.Query, "status", "cc.fleet.alice.query.status")]
    [InlineData("cc.fleet", "bob", SubjectVerb.Reply, "status", "cc.fleet.bob.reply.status")]
    [InlineData("cc.fleet", "dave", SubjectVerb.Discovery, null, "cc.fleet.dave.discovery")]
    [InlineData("myfleet.v1", "eve", SubjectVerb.Pulse, null, "myfleet.v1.eve.pulse")]
    [InlineData("x", "eve", SubjectVerb.Policy, "a.b.c", "x.eve.policy.a.b.c")]
    public void Builds_and_parses_the_seeds_subjects(string prefix, string agent, SubjectVerb verb, string? topic, string subject)
    {
        SubjectScheme scheme = new(prefix);
        Assert.Equal(subject, scheme.Build(agent, verb, topic));
        Assert.Equal(new AgentSubject(agent, verb, topic), scheme.Parse(subject));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a.b", "'.'")]
    [InlineData("*", "wildcard '*'")]
    [InlineData(">", "wildcard '>'")]
    [InlineData("al ice", "whitespace")]
    [InlineData("al\tice", "whitespace")]
    [InlineData("al\u0001ice", "control character U+0001")]
    public void Invalid_agent_names_are_refused_with_the_reason(string agent, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SubjectScheme.Default.Build(agent, SubjectVerb.Query, "t"));
        Assert.Equal("agent", error.ParamName);
        Assert.Contains("Agent name", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "empty token")]
    [InlineData("a.", "empty token")]
    [InlineData(".a", "empty token")]
    [InlineData("a.*", "wildcard '*'")]
    [InlineData(">", "wildcard '>'")]
    [InlineData("st atus", "whitespace")]
    [InlineData("status\n", "whitespace")]
    public void Invalid_topics_are_refused_with_the_reason(string topic, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SubjectScheme.Default.Build("alice", SubjectVerb.Query, topic));
        Assert.Equal("topic", error.ParamName);
        Assert.Contains("Topic", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cc..fleet")]
    [InlineData("cc.*")]
    [InlineData("cc.>")]
    public void Invalid_prefixes_are_refused(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new SubjectScheme(prefix));
    }

    [Theory]
    [InlineData("other.alice.query.status")]
    [InlineData("cc.fleetx.alice.query.status")]
    [InlineData("cc.fleet.alice")]
    [InlineData("cc.fleet.alice.gossip.x")]
    [InlineData("cc.fleet.alice.query.a..b")]
    [InlineData("cc.fleet.*.query.status")]
    [InlineData("cc.fleet")]
    public void Foreign_or_malformed_subjects_do_not_parse(string subject)
    {
        Assert.False(SubjectScheme.Default.TryParse(subject, out _));
        Assert.Throws<FormatException>(() => SubjectScheme.Default.Parse(subject));
    }

    [Fact]
    public void Wildcards_are_built_from_validated_names()
    {
        SubjectScheme scheme = new("myfleet.v1");
        Assert.Equal("myfleet.v1.bob.>", scheme.AgentWildcard("bob"));
        Assert.Equal("myfleet.v1.bob.query.>", scheme.VerbWildcard("bob", SubjectVerb.Query));
        Assert.Equal("myfleet.v1.>", scheme.FleetWildcard);
        Assert.Throws<ArgumentException>(() => scheme.AgentWildcard(">"));
    }

    private static readonly Gen<string> Token =
        Gen.Char[(char)0x21, (char)0x2FF].Where(c => c is not ('.' or '*' or '>') && !char.IsWhiteSpace(c) && !char.IsControl(c))
            .Array[1, 8].Select(chars => new string(chars));

    private static readonly Gen<string> Dotted = Token.Array[1, 4].Select(tokens => string.Join('.', tokens));

    [Fact]
    public void Parse_of_build_is_identity_for_every_valid_input()
    {
        Gen.Select(Dotted, Token, Gen.Enum<SubjectVerb>(), Dotted.Null())
            .Sample((prefix, agent, verb, topic) =>
            {
                SubjectScheme scheme = new(prefix);
                AgentSubject subject = new(agent, verb, topic);
                return scheme.Parse(scheme.Build(subject)) == subject;
            }, iter: 20_000);
    }

    [Fact]
    public void No_invalid_name_ever_builds_a_subject()
    {
        Gen<string> anyText = Gen.String[Gen.Char[(char)0, (char)0x7F], 0, 6];
        anyText.Sample(agent =>
        {
            bool valid = agent.Length > 0 && agent.All(c => c is not ('.' or '*' or '>') && !char.IsWhiteSpace(c) && !char.IsControl(c));
            try
            {
                string subject = SubjectScheme.Default.Build(agent, SubjectVerb.Query, "t");
                return valid && subject == $"cc.fleet.{agent}.query.t";
            }
            catch (ArgumentException)
            {
                return !valid;
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Names_at_their_caps_build_and_one_byte_more_is_refused_with_its_length_and_the_cap()
    {
        string prefix = new('p', SubjectScheme.MaxPrefixBytes), agent = new('a', SubjectScheme.MaxAgentBytes), topic = new('t', SubjectScheme.MaxTopicBytes);
        SubjectScheme scheme = new(prefix);
        string subject = scheme.Build(agent, SubjectVerb.Reply, topic);

        // The longest line at the caps, with this runtime's inbox (_INBOX.<32 hex>.<16-character request id>): 1,374 bytes.
        string inbox = "_INBOX." + new string('0', 32) + "." + new string('r', 16);
        Assert.Equal(1_374, SubjectBudget.LineBytes(subject, inbox));
        Assert.True(SubjectBudget.LineBytes(subject, inbox) < AgentBusOptions.DefaultMaxControlLineBytes / 2);

        ArgumentException longPrefix = Assert.Throws<ArgumentException>(() => new SubjectScheme(prefix + "p"));
        Assert.Contains("is 129 bytes long in UTF-8; a prefix is at most 128 bytes", longPrefix.Message, StringComparison.Ordinal);
        ArgumentException longAgent = Assert.Throws<ArgumentException>(() => scheme.Build(agent + "é", SubjectVerb.Query));
        Assert.Contains("is 130 bytes long in UTF-8; an agent name is at most 128 bytes", longAgent.Message, StringComparison.Ordinal);
        ArgumentException longTopic = Assert.Throws<ArgumentException>(() => scheme.Build("a", SubjectVerb.Query, topic[..^1] + "日"));
        Assert.Equal("topic", longTopic.ParamName);
        Assert.Contains("is 1026 bytes long in UTF-8; a topic is at most 1024 bytes", longTopic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(topic, longTopic.Message, StringComparison.Ordinal);
    }
}
