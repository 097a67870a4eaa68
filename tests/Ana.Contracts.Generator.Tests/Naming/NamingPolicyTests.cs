using System.Text;
using System.Text.Json;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;

namespace Ana.Contracts.Generator.Tests.Naming;

/// <summary>The generator's naming policies give exactly what System.Text.Json's give, since the keys must match what the serializer writes.</summary>
public sealed class NamingPolicyTests
{
    // By name: the generator's enum is internal, and xunit theories are public.
    public static readonly TheoryData<string> Policies = new()
    {
        nameof(JsonNamingPolicyKind.CamelCase),
        nameof(JsonNamingPolicyKind.SnakeCaseLower),
        nameof(JsonNamingPolicyKind.SnakeCaseUpper),
        nameof(JsonNamingPolicyKind.KebabCaseLower),
        nameof(JsonNamingPolicyKind.KebabCaseUpper),
    };

    private static readonly string[] Samples =
    [
        "", "a", "A", "ab", "AB", "Ab", "aB", "userId", "UserId", "XMLReader", "XMLPath", "SHA512Hash", "IOStream",
        "getHTTPResponseCode", "URL", "Url", "already_snake", "kebab-case", "PascalCase", "camelCase", "ABC123def",
        "A1B2C3", "x1Y2", "_private", "__Private", "Hello World", " leading", "trailing ", "two  spaces", "Tab\tIn",
        "ÄrgerÜber", "straße", "İstanbul", "ǅemal", "Ω", "ΣΑΣ", "日本Go", "Snake_Case_Already", "a-B-c", "MaxValue2",
        "HTTP2Server", "iPhone", "IPhone", "\u00A0Nbsp", "X", "XY Z", "x Y",
    ];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Converts_samples_like_System_Text_Json(string policyName)
    {
        JsonNamingPolicyKind policy = Enum.Parse<JsonNamingPolicyKind>(policyName);
        JsonNamingPolicy expected = SystemTextJsonPolicy(policy);
        foreach (string name in Samples)
        {
            Assert.Equal(expected.ConvertName(name), JsonNaming.Convert(name, policy));
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Converts_random_names_like_System_Text_Json(string policyName)
    {
        JsonNamingPolicyKind policy = Enum.Parse<JsonNamingPolicyKind>(policyName);
        JsonNamingPolicy expected = SystemTextJsonPolicy(policy);
        const string alphabet = "aBcDxyzXYZ0123456789_- .éÉßİıǅΣσ日\t";
        Random random = new(20260514);
        StringBuilder name = new();
        for (int i = 0; i < 20_000; i++)
        {
            name.Clear();
            int length = random.Next(0, 12);
            for (int j = 0; j < length; j++)
            {
                name.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string text = name.ToString();
            Assert.True(expected.ConvertName(text) == JsonNaming.Convert(text, policy), $"'{text}' through {policy}");
        }
    }

    [Fact]
    public void None_keeps_the_name()
        => Assert.Equal("XMLPath", JsonNaming.Convert("XMLPath", JsonNamingPolicyKind.None));

    [Theory]
    [InlineData("GetStatusAsync", "get_status")]
    [InlineData("SubmitAsync", "submit")]
    [InlineData("Ping", "ping")]
    [InlineData("GetHTTPStatusAsync", "get_http_status")]
    [InlineData("Async", "async")]
    [InlineData("SyncAsyncAsync", "sync_async")]
    [InlineData("Asynchronous", "asynchronous")]
    [InlineData("Sha256Async", "sha256")]
    public void Topics_drop_Async_and_go_snake_case(string method, string topic)
        => Assert.Equal(topic, TopicNaming.FromMethodName(method));

    [Theory]
    [InlineData("scheduler", false, null)]
    [InlineData("stock.reserve", true, null)]
    [InlineData("", false, "it is empty")]
    [InlineData("a.b", false, "it contains '.' at position 1, which would split it into several subject tokens")]
    [InlineData("a..b", true, "it has an empty token at position 2")]
    [InlineData("a.", true, "it ends with '.', leaving an empty token")]
    [InlineData("a*", false, "it contains the wildcard '*' at position 1")]
    [InlineData("a>", true, "it contains the wildcard '>' at position 1")]
    [InlineData("a b", false, "it contains whitespace or a control character at position 1")]
    public void Subject_token_rules(string value, bool allowDots, string? problem)
        => Assert.Equal(problem, SubjectTokenRules.FindProblem(value, allowDots));

    private static JsonNamingPolicy SystemTextJsonPolicy(JsonNamingPolicyKind policy) => policy switch
    {
        JsonNamingPolicyKind.CamelCase => JsonNamingPolicy.CamelCase,
        JsonNamingPolicyKind.SnakeCaseLower => JsonNamingPolicy.SnakeCaseLower,
        JsonNamingPolicyKind.SnakeCaseUpper => JsonNamingPolicy.SnakeCaseUpper,
        JsonNamingPolicyKind.KebabCaseLower => JsonNamingPolicy.KebabCaseLower,
        JsonNamingPolicyKind.KebabCaseUpper => JsonNamingPolicy.KebabCaseUpper,
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };
}
