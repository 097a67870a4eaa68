using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana.Tests.Envelopes;

/// <summary>A query read off the wire keeps its data as bytes until asked for: the same value either way, and one value for every reader.</summary>
public sealed class ReceivedQueryDataTests
{
    private const string Json = """{"type":"query","from":"a","to":"b","query":"q","data":{"text":"é \"x\"","n":[1,2]},"ts":"2026-05-14T06:35:00Z"}""";

    [Fact]
    public void Data_read_later_is_the_data_that_came()
    {
        Query query = (Query)EnvelopeSerializer.Parse(Json);

        Assert.Equal("""{"text":"é \"x\"","n":[1,2]}""", query.Data!.Value.GetRawText());
        Assert.Contains("\"data\":{\"text\":\"é \\\"x\\\"\",\"n\":[1,2]}", EnvelopeSerializer.Serialize(query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readers_at_the_same_time_all_see_one_document()
    {
        Query query = (Query)EnvelopeSerializer.Parse(Json);
        using Barrier start = new(8);
        JsonElement[] seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return query.Data!.Value;
        })));

        Assert.All(seen, element => Assert.Equal(seen[0], element));
    }

    [Fact]
    public void Data_set_in_code_replaces_the_data_received()
    {
        Query query = (Query)EnvelopeSerializer.Parse(Json) with { Data = JsonDocument.Parse("""{"n":5}""").RootElement };

        Assert.Equal(5, query.Data!.Value.GetProperty("n").GetInt32());
        using ContractArgumentsData opened = ContractArguments.Open(query);
        Assert.Equal("5", ReadArgument(opened, "n"));
    }

    [Fact]
    public void Arguments_read_from_the_bytes_received_are_the_data_that_came()
    {
        Query query = (Query)EnvelopeSerializer.Parse(Json);
        string? text;
        using (ContractArgumentsData opened = ContractArguments.Open(query))
        {
            text = ReadArgument(opened, "text");
        }

        Assert.Equal("é \"x\"", text);
        Assert.Equal(JsonValueKind.Object, query.Data!.Value.ValueKind);
    }

    [Fact]
    public void A_query_without_data_opens_as_none()
    {
        Query query = (Query)EnvelopeSerializer.Parse("""{"type":"query","from":"a","to":"b","query":"q","data":null,"ts":"2026-05-14T06:35:00Z"}""");

        Assert.Null(query.Data);
        using ContractArgumentsData opened = ContractArguments.Open(query);
        ContractArgumentsReader reader = opened.CreateReader();
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void Data_that_is_not_an_object_is_a_bad_request_naming_its_kind()
    {
        Query query = (Query)EnvelopeSerializer.Parse(Json.Replace("""{"text":"é \"x\"","n":[1,2]}""", "[1]", StringComparison.Ordinal));

        using ContractArgumentsData opened = ContractArguments.Open(query);
        AnaException error = Assert.Throws<AnaException>(() => ReadArgument(opened, "text"));
        Assert.Equal(AnaErrorCodes.BadRequest, error.Code);
        Assert.Equal("The arguments must be a JSON object, not Array.", error.Message);
    }

    /// <summary>The argument <paramref name="name"/> read as a string (a number as its text), or null when absent.</summary>
    private static string? ReadArgument(ContractArgumentsData data, string name)
    {
        string? value = null;
        ContractArgumentsReader reader = data.CreateReader();
        while (reader.MoveNext())
        {
            if (reader.NameIs(name))
            {
                JsonElement read = reader.ReadValue(TestJson.Default.JsonElement, name);
                value = read.ValueKind == JsonValueKind.String ? read.GetString() : read.GetRawText();
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }
}
