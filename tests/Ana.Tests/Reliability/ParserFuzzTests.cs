namespace Ana.Tests.Reliability;

public class ParserFuzzTests
{
    [Fact]
    public void Every_fuzzed_payload_either_parses_or_gets_an_envelope_exception()
    {
        FuzzedInput fuzz = new(1125);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] payload = fuzz.Next();
            try
            {
                EnvelopeSerializer.Parse(payload);
                parsed++;
            }
            catch (AnaEnvelopeException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"payload {i} ({System.Text.Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 200)])}) threw {ex}");
            }
        }

        Assert.True(rejected > parsed, $"{parsed} parsed, {rejected} rejected");
    }
}
