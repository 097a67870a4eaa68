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
    /// The INFO response. When it is larger than <paramref name="maxPayload"/>, again without the endpoints' JSON Schemas,
    /// then without any endpoint metadata; the service's <see cref="EndpointMetadata.Omitted"/> says which
    /// (<c>"schemas"</c>, <c>"endpoints"</c>). <see langword="null"/> when even the smallest is too large.
    /// </summary>
    public static PooledBufferWriter? WriteInfo(MicroService service, long maxPayload)
        => Write(service, InfoType, maxPayload, static (writer, s) => WriteInfoBody(writer, s, EndpointDetail.All))
            ?? Write(service, InfoType, maxPayload, static (writer, s) => WriteInfoBody(writer, s, EndpointDetail.WithoutSchemas), omitted: "schemas")
            ?? Write(service, InfoType, maxPayload, static (writer, s) => WriteInfoBody(writer, s, EndpointDetail.None), omitted: "endpoints");

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

    private static void WriteInfoBody(Utf8JsonWriter writer, MicroService service, EndpointDetail detail)
    {
        writer.WriteString("description", service.Description);
        writer.WriteStartArray("endpoints");
        foreach (MicroEndpoint endpoint in service.Endpoints)
        {
            writer.WriteStartObject();
            WriteEndpointAddress(writer, endpoint);
            if (detail != EndpointDetail.None)
            {
                WriteMap(writer, "metadata", endpoint.Metadata, withoutSchemas: detail == EndpointDetail.WithoutSchemas);
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
        MicroService service, string type, long maxPayload, Action<Utf8JsonWriter, MicroService> body, string? omitted = null)
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

    /// <summary>
    /// Writes a <c>metadata</c> map: with <paramref name="omitted"/>, also the note of what was left out of the endpoints'
    /// maps; <paramref name="withoutSchemas"/> leaves the JSON Schemas out.
    /// </summary>
    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map, string? omitted = null, bool withoutSchemas = false)
    {
        writer.WriteStartObject(name);
        foreach (KeyValuePair<string, string> entry in map)
        {
            if (withoutSchemas && EndpointMetadata.IsSchema(entry.Key))
            {
                continue;
            }

            writer.WriteString(entry.Key, entry.Value);
        }

        if (omitted is not null)
        {
            writer.WriteString(EndpointMetadata.Omitted, omitted);
        }

        writer.WriteEndObject();
    }

    /// <summary>How much of the endpoints' metadata an INFO response carries.</summary>
    private enum EndpointDetail
    {
        All,
        WithoutSchemas,
        None,
    }
}
