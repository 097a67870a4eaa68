using System.Text;
using System.Text.Json;

namespace Ana.Tests.Envelopes;

/// <remarks>
/// The table is process-wide and other tests read envelopes at the same time: one of their values may take the slot
/// between two reads here. So these tests run in a collection of their own, never in parallel with another, and the
/// reuse test asserts that a value comes back as the same string in some of many attempts, which a stray overwrite
/// cannot prevent and a table that hands out nothing again cannot pass. (A table per instance, with the shared one
/// as its default, would let a test own its table instead.)
/// </remarks>
[Collection(nameof(RecurringStringsTests))]
public sealed class RecurringStringsTests
{
    [Fact]
    public void A_recurring_value_is_handed_out_again_as_the_same_string()
    {
        const int Attempts = 100;
        int reused = 0;
        for (int i = 0; i < Attempts; i++)
        {
            string first = Read("\"cc.fleet.bob.query.status\"");
            string second = Read("\"cc.fleet.bob.query.status\"");
            Assert.Equal("cc.fleet.bob.query.status", first);
            Assert.Equal(first, second);
            if (ReferenceEquals(first, second))
            {
                reused++;
            }
        }

        Assert.True(reused > 0, $"no read of {Attempts} handed out the string of the read before it");
    }

    [Fact]
    public void Many_different_values_all_come_back_right()
    {
        // Far more values than the table has slots: every collision must still give the value itself.
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 5_000; i++)
            {
                Assert.Equal($"agent-{i}", Read($"\"agent-{i}\""));
            }
        }
    }

    [Theory]
    [InlineData("\"b\\u006fb\"", "bob")]
    [InlineData("\"caf\u00e9\"", "caf\u00e9")]
    [InlineData("\"\"", "")]
    public void Escaped_non_ascii_and_empty_values_are_read_as_written(string json, string expected)
        => Assert.Equal(expected, Read(json));

    [Fact]
    public void A_long_value_is_read_whole()
    {
        string value = new('x', 1_000);
        Assert.Equal(value, Read($"\"{value}\""));
    }

    [Fact]
    public void Invalid_utf8_still_fails_as_the_reader_does()
    {
        byte[] json = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        Assert.Throws<InvalidOperationException>(() => Read(json));
    }

    private static string Read(string json) => Read(Encoding.UTF8.GetBytes(json));

    private static string Read(byte[] json)
    {
        Utf8JsonReader reader = new(json);
        reader.Read();
        return RecurringStrings.Read(ref reader);
    }
}
