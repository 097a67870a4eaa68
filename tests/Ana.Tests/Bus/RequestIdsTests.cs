namespace Ana.Tests.Bus;

public sealed class RequestIdsTests
{
    [Fact]
    public void Ids_are_sixteen_base64url_characters_and_never_repeat()
    {
        // Many refills of the per-thread random buffer (64 ids each), on several threads at once.
        string[][] perThread = new string[4][];
        Parallel.For(0, perThread.Length, t => perThread[t] = [.. Enumerable.Range(0, 20_000).Select(_ => RequestIds.New())]);

        string[] all = [.. perThread.SelectMany(ids => ids)];
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, id =>
        {
            Assert.Equal(RequestIds.Length, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' in {id}"));
        });
    }

    [Fact]
    public void Every_character_position_varies()
    {
        // 96 random bits: no position of the id is fixed, as a counter or a stuck buffer would make it.
        string[] ids = [.. Enumerable.Range(0, 2_000).Select(_ => RequestIds.New())];
        for (int position = 0; position < RequestIds.Length; position++)
        {
            Assert.True(ids.Select(id => id[position]).Distinct().Count() > 32, $"position {position} barely varies");
        }
    }
}
