using System.Text.Json.Nodes;

namespace Ana.Contracts.Tests.Schemas;

/// <summary>
/// One change to a JSON payload, at a random place: a member removed, or a value replaced by one of another shape (a
/// boolean, a fraction, an array, an object with an unknown member). Strings are never put in, since several readers
/// take a string for a number (durations, decimals), which a schema can only describe as "a string".
/// </summary>
internal static class JsonMutations
{
    private static readonly string[] Replacements = ["true", "1.5", "[true]", "{\"\\u0001\":[true]}"];

    /// <summary>A mutated copy of <paramref name="payload"/>, and what was done, or <see langword="null"/> when nothing can change.</summary>
    public static (JsonNode? Payload, string Change)? Apply(JsonNode? payload, Random random)
    {
        JsonNode? copy = payload?.DeepClone();
        List<(JsonNode? Parent, string? Member, int Index)> places = [(null, null, -1)];
        Collect(copy, places);
        (JsonNode? parent, string? member, int index) = places[random.Next(places.Count)];
        bool remove = member is not null && random.Next(2) == 0;
        string replacement = Replacements[random.Next(Replacements.Length)];
        string path = parent?.GetPath() ?? "$";
        switch (parent)
        {
            case null:
                return (JsonNode.Parse(replacement), $"$ replaced by {replacement}");
            case JsonObject obj when remove:
                obj.Remove(member!);
                return (copy, $"{path}.{member} removed");
            case JsonObject obj:
                obj[member!] = JsonNode.Parse(replacement);
                return (copy, $"{path}.{member} replaced by {replacement}");
            case JsonArray array:
                array[index] = JsonNode.Parse(replacement);
                return (copy, $"{path}[{index}] replaced by {replacement}");
            default:
                return null;
        }
    }

    private static void Collect(JsonNode? node, List<(JsonNode? Parent, string? Member, int Index)> places)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> member in obj)
                {
                    places.Add((obj, member.Key, -1));
                    Collect(member.Value, places);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    places.Add((array, null, i));
                    Collect(array[i], places);
                }

                break;
            default:
                break;
        }
    }
}
