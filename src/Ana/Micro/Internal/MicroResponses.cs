using System.Text.Json;

namespace Ana.Micro;

/// <summary>
/// Writes the three NATS micro responses (<c>io.nats.micro.v1.ping_response</c>, <c>info_response</c>,
/// <c>stats_response</c>) with their required fields, as ADR-32's schemas define them.
/// </summary>
internal static class MicroResponses
{
    public const string PingType = "io.nats.micro.v1.ping_response";
    public const string InfoType = "io.nats.micro.v1.info_response";
    public const string StatsType = "io.nats.micro.v1.stats_response";

    public static PooledBufferWriter? WritePing(MicroService service, long maxPayload)
        => Write(service, PingType, maxPayload, static (_, _) => { });

    /// <summary>
    /// The INFO response; when it is larger than <paramref name="maxPayload"/>, again without the endpoints' metadata
    /// (and the service's <see cref="EndpointMetadata.Omitted"/> says so); <see langword="null"/> when even that is too large.
    /// </summary>
    public static PooledBufferWriter? WriteInfo(MicroService service, long maxPayload)
        => Write(service, InfoType, maxPayload, static (writer, s) => WriteInfoBody(writer, s, endpointMetadata: true))
            ?? Write(service, InfoType, maxPayload, static (writer, s) => WriteInfoBody(writer, s, endpointMetadata: false), omitted: true);

    public static PooledBufferWriter? WriteStats(MicroService service, long maxPayload)
        => Write(service, StatsType, maxPayload, static (writer, s) =>
        {
            writer.WriteString("started", s.Started.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartArray("endpoints");
            foreach (MicroEndpoint endpoint in s.Endpoints)
            {
                long requests = endpoint.Requests;
                long nanoseconds = endpoint.ProcessingNanoseconds;
                writer.WriteStartObject();
                WriteEndpointAddress(writer, endpoint);
                writer.WriteNumber("num_requests", requests);
                writer.WriteNumber("num_errors", endpoint.Errors);
                writer.WriteString("last_error", endpoint.LastError);
                writer.WriteNumber("processing_time", nanoseconds);
                writer.WriteNumber("average_processing_time", requests == 0 ? 0 : nanoseconds / requests);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    private static void WriteInfoBody(Utf8JsonWriter writer, MicroService service, bool endpointMetadata)
    {
        writer.WriteString("description", service.Description);
        writer.WriteStartArray("endpoints");
        foreach (MicroEndpoint endpoint in service.Endpoints)
        {
            writer.WriteStartObject();
            WriteEndpointAddress(writer, endpoint);
            if (endpointMetadata)
            {
                WriteMap(writer, "metadata", endpoint.Metadata);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteEndpointAddress(Utf8JsonWriter writer, MicroEndpoint endpoint)
    {
        writer.WriteString("name", endpoint.Name);
        writer.WriteString("subject", endpoint.Subject);
        if (endpoint.QueueGroup is { } queueGroup)
        {
            writer.WriteString("queue_group", queueGroup);
        }
    }

    private static PooledBufferWriter? Write(
        MicroService service, string type, long maxPayload, Action<Utf8JsonWriter, MicroService> body, bool omitted = false)
    {
        PooledBufferWriter buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer))
        {
            MicroIdentity identity = service.Identity;
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("name", identity.Name);
            writer.WriteString("id", identity.Id);
            writer.WriteString("version", identity.Version);
            WriteMap(writer, "metadata", identity.Metadata, omitted);
            body(writer, service);
            writer.WriteEndObject();
        }

        if (buffer.WrittenSpan.Length <= maxPayload)
        {
            return buffer;
        }

        buffer.Dispose();
        return null;
    }

    /// <summary>Writes a <c>metadata</c> map; with <paramref name="omitted"/>, also the note that the endpoints' maps were left out.</summary>
    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map, bool omitted = false)
    {
        writer.WriteStartObject(name);
        foreach (KeyValuePair<string, string> entry in map)
        {
            writer.WriteString(entry.Key, entry.Value);
        }

        if (omitted)
        {
            writer.WriteString(EndpointMetadata.Omitted, "max_payload");
        }

        writer.WriteEndObject();
    }
}
