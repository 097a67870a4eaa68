using Ana.Transport.Memory;

namespace Ana.Tests.Transport;

public class SubjectMatcherTests
{
    [Theory]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.b", "a.c", false)]
    [InlineData("a.b", "a.b.c", false)]
    [InlineData("a.b.c", "a.b", false)]
    [InlineData("a.b", "a.*", true)]
    [InlineData("a.b.c", "a.*", false)]
    [InlineData("a", "a.*", false)]
    [InlineData("b.c", "a.*", false)]
    [InlineData("a.b", "*.b", true)]
    [InlineData("x.b", "*.b", true)]
    [InlineData("a.c", "*.b", false)]
    [InlineData("b", "*.b", false)]
    [InlineData("a.b.c", "a.*.c", true)]
    [InlineData("a.b.d", "a.*.c", false)]
    [InlineData("a.b", "*.*", true)]
    [InlineData("a", "*", true)]
    [InlineData("a.b", "*", false)]
    [InlineData("a.b", "a.>", true)]
    [InlineData("a.b.c.d", "a.>", true)]
    [InlineData("a", "a.>", false)]
    [InlineData("b.c", "a.>", false)]
    [InlineData("a", ">", true)]
    [InlineData("a.b.c", ">", true)]
    [InlineData("a.b.c", "*.>", true)]
    [InlineData("a", "*.>", false)]
    [InlineData("a.b.c", "a.*.>", true)]
    [InlineData("a.b", "a.*.>", false)]
    [InlineData("ab.c", "a.>", false)]
    [InlineData("a.bc", "a.b", false)]
    [InlineData("a.b", "a.bc", false)]
    [InlineData("a*b.c", "a*b.c", true)]
    [InlineData("axb.c", "a*b.c", false)]
    [InlineData("_INBOX.abc.1", "_INBOX.abc.>", true)]
    public void MatchesLikeNats(string subject, string pattern, bool expected)
    {
        Assert.Equal(expected, SubjectMatcher.Matches(subject, pattern));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a.b.c")]
    [InlineData("a.*")]
    [InlineData("*.b")]
    [InlineData("*")]
    [InlineData(">")]
    [InlineData("a.>")]
    [InlineData("*.*.>")]
    [InlineData("a*b.c>")]
    [InlineData("_INBOX.x-y_z")]
    public void Accepts_valid_subscribe_subjects(string subject)
    {
        SubjectMatcher.ValidateSubscribeSubject(subject, "subject");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData(">.a")]
    [InlineData("a.>.b")]
    [InlineData("a b")]
    [InlineData("a.b\t")]
    [InlineData("a.b\r\n")]
    public void Rejects_invalid_subscribe_subjects(string subject)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SubjectMatcher.ValidateSubscribeSubject(subject, "subject"));
        Assert.Equal("subject", error.ParamName);
    }

    [Theory]
    [InlineData("*")]
    [InlineData(">")]
    [InlineData("a.*")]
    [InlineData("a.>")]
    [InlineData("*.b")]
    [InlineData("a.*.c")]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData("a b")]
    public void Rejects_invalid_publish_subjects(string subject)
    {
        Assert.Throws<ArgumentException>(() => SubjectMatcher.ValidatePublishSubject(subject, "subject"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a.b.c")]
    [InlineData("a*b.c>")]
    public void Accepts_literal_publish_subjects(string subject)
    {
        SubjectMatcher.ValidatePublishSubject(subject, "subject");
    }
}
