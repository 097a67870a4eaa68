using System.Text.Json;

namespace Ana.Micro;

/// <summary>
/// Reads an <c>io.nats.micro.v1.info_response</c> into an <see cref="AgentDescription"/>. The response may come from any
/// NATS micro service that shares the agent's service name, so every field is optional here and anything malformed
/// makes the response unreadable (<see langword="null"/>), never an exception.
/// </summary>
internal static class InfoResponseReader
{
    /// <summary>The description in <paramref name="payload"/>, or <see langword="null"/> when it is no INFO response of <paramref name="agent"/>.</summary>
    public static AgentDescription? Read(ReadOnlyMemory<byte> payload, string agent)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "type") != MicroResponses.InfoType
                || Text(root, "name") is not { } service
                || Text(root, "id") is not { } id)
            {
                return null;
            }

            Dictionary<string, string> metadata = Map(root);

            // Another agent whose name maps to the same service name (stock@eu and stock_eu) is not this one.
            if (metadata.TryGetValue(EndpointMetadata.Agent, out string? servedAgent) && servedAgent != agent)
            {
                return null;
            }

            List<TopicDescription> topics = [];
            if (root.TryGetProperty("endpoints", out JsonElement endpoints) && endpoints.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement endpoint in endpoints.EnumerateArray())
                {
                    if (endpoint.ValueKind != JsonValueKind.Object || Text(endpoint, "name") is not { } name || Text(endpoint, "subject") is not { } subject)
                    {
                        return null;
                    }

                    Dictionary<string, string> endpointMetadata = Map(endpoint);
                    topics.Add(new TopicDescription
                    {
                        Topic = endpointMetadata.GetValueOrDefault(EndpointMetadata.Topic) ?? name,
                        Subject = subject,
                        QueueGroup = Text(endpoint, "queue_group"),
                        Signature = endpointMetadata.GetValueOrDefault(EndpointMetadata.Signature),
                        ArgumentsSchema = endpointMetadata.GetValueOrDefault(EndpointMetadata.ArgumentsSchema),
                        ResultSchema = endpointMetadata.GetValueOrDefault(EndpointMetadata.ResultSchema),
                        ProgressSchema = endpointMetadata.GetValueOrDefault(EndpointMetadata.ProgressSchema),
                    });
                }
            }

            return new AgentDescription
            {
                Agent = servedAgent ?? agent,
                Service = service,
                Id = id,
                Version = Text(root, "version") ?? MicroNames.FallbackVersion,
                Contract = metadata.GetValueOrDefault(EndpointMetadata.Contract),
                Description = Text(root, "description"),
                Topics = topics,
                Omitted = metadata.GetValueOrDefault(EndpointMetadata.Omitted),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Map(JsonElement element)
    {
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        if (element.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in metadata.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String)
                {
                    map[entry.Name] = entry.Value.GetString()!;
                }
            }
        }

        return map;
    }
}
