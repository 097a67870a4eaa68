using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ana;

/// <summary>
/// Reads and writes ana envelopes in the wire format of the Python <c>ana</c> package, through source-generated
/// metadata. Parsing ignores unknown fields, accepts absent or <c>null</c> optional fields, bounds size and depth,
/// and reports every problem as an <see cref="AnaEnvelopeException"/>.
/// </summary>
public static class EnvelopeSerializer
{
    /// <summary>The deepest nesting of JSON objects and arrays an envelope may have.</summary>
    public const int MaxDepth = 64;

    /// <summary>The default bound on the size of one envelope: 1 MiB, the default <c>max_payload</c> of nats-server.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private const int MaxQuotedTypeLength = 40;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Parses one envelope from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The message payload.</param>
    /// <param name="maxBytes">The largest payload accepted.</param>
    /// <returns>A <see cref="Query"/>, <see cref="Reply"/>, <see cref="Ack"/>, <see cref="Discovery"/> or <see cref="Pulse"/>.</returns>
    /// <exception cref="AnaEnvelopeException">The payload is not a valid envelope.</exception>
    public static Envelope Parse(ReadOnlySpan<byte> utf8Json, int maxBytes = DefaultMaxBytes)
    {
        ThrowIfTooLarge(utf8Json, maxBytes);
        Utf8JsonReader reader = Open(utf8Json, out string type);
        Envelope envelope;
        try
        {
            envelope = type switch
            {
                EnvelopeTypes.Query => HotEnvelopeReader.ReadQuery(ref reader, utf8Json),
                EnvelopeTypes.Reply => HotEnvelopeReader.ReadReply(ref reader, utf8Json),
                _ => (Envelope)JsonSerializer.Deserialize(utf8Json, TypeInfo(type))!,
            };
        }
        catch (JsonException ex)
        {
            throw Invalid(utf8Json, type, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Invalid(type, ex);
        }

        envelope.Validate();
        return envelope;
    }

    /// <summary>
    /// Parses a reply as a <see cref="ReplyFrame"/>, its <c>data</c> located but not parsed; any other envelope is parsed
    /// whole and returned in <paramref name="other"/>.
    /// </summary>
    /// <exception cref="AnaEnvelopeException">The payload is not a valid envelope.</exception>
    internal static bool TryParseReplyFrame(ReadOnlySpan<byte> utf8Json, int maxBytes, out ReplyFrame frame, out Envelope? other)
    {
        ThrowIfTooLarge(utf8Json, maxBytes);
        Utf8JsonReader reader = Open(utf8Json, out string type);
        if (type != EnvelopeTypes.Reply)
        {
            frame = default;
            other = Parse(utf8Json, maxBytes);
            return false;
        }

        try
        {
            frame = HotEnvelopeReader.ReadReplyFrame(ref reader);
        }
        catch (JsonException ex)
        {
            throw Invalid(utf8Json, type, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Invalid(type, ex);
        }

        frame.Validate();
        other = null;
        return true;
    }

    private static void ThrowIfTooLarge(ReadOnlySpan<byte> utf8Json, int maxBytes)
    {
        if (utf8Json.Length > maxBytes)
        {
            throw new AnaEnvelopeException($"Envelope is {utf8Json.Length} bytes; the limit is {maxBytes}.");
        }
    }

    /// <summary>A reader on the envelope, past its leading <c>type</c> when it has one, else on its opening brace; and the type.</summary>
    private static Utf8JsonReader Open(ReadOnlySpan<byte> utf8Json, out string type)
    {
        Utf8JsonReader reader = new(utf8Json, ReaderOptions);
        if (LeadingType(ref reader) is { } leading)
        {
            type = leading;
            return reader;
        }

        type = FindType(utf8Json);
        reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        reader.Read(); // The opening brace: FindType has checked the envelope is an object.
        return reader;
    }

    private static AnaEnvelopeException Invalid(ReadOnlySpan<byte> utf8Json, string type, JsonException ex)
        => SyntaxError(utf8Json) ?? new AnaEnvelopeException($"Invalid {type} envelope: {ex.Message}", ex);

    private static AnaEnvelopeException Invalid(string type, InvalidOperationException ex)
        => new($"Invalid {type} envelope: a string is not valid UTF-8.", ex);

    /// <summary>Parses one envelope from a JSON string.</summary>
    /// <exception cref="AnaEnvelopeException">The text is not a valid envelope.</exception>
    public static Envelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] rented = ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            int length = System.Text.Encoding.UTF8.GetBytes(json, rented);
            return Parse(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes <paramref name="envelope"/> as UTF-8 JSON into <paramref name="destination"/>, <c>type</c> first.</summary>
    public static void Serialize(IBufferWriter<byte> destination, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(envelope);

        // The cached writer is taken, not borrowed: a nested call on this thread (from the destination, say) finds none
        // and makes its own, so no two writes can ever share one.
        Utf8JsonWriter? writer = t_writer;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination, WriterOptions);
        }
        else
        {
            writer.Reset(destination);
        }

        try
        {
            Write(writer, envelope);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
            t_writer = writer;
        }
    }

    /// <summary>Writes <paramref name="envelope"/> into a JSON writer, <c>type</c> first.</summary>
    public static void Write(Utf8JsonWriter writer, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (envelope)
        {
            case Query query: JsonSerializer.Serialize(writer, query, EnvelopeJsonContext.Default.Query); break;
            case Reply reply: JsonSerializer.Serialize(writer, reply, EnvelopeJsonContext.Default.Reply); break;
            case Ack ack: JsonSerializer.Serialize(writer, ack, EnvelopeJsonContext.Default.Ack); break;
            case Discovery discovery: JsonSerializer.Serialize(writer, discovery, EnvelopeJsonContext.Default.Discovery); break;
            case Pulse pulse: JsonSerializer.Serialize(writer, pulse, EnvelopeJsonContext.Default.Pulse); break;
            default: throw new ArgumentNullException(nameof(envelope));
        }
    }

    /// <summary>Returns <paramref name="envelope"/> as UTF-8 JSON.</summary>
    public static byte[] SerializeToUtf8Bytes(Envelope envelope)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        Serialize(buffer, envelope);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns <paramref name="envelope"/> as a JSON string.</summary>
    public static string Serialize(Envelope envelope)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        Serialize(buffer, envelope);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonTypeInfo TypeInfo(string type) => type switch
    {
        EnvelopeTypes.Ack => EnvelopeJsonContext.Default.Ack,
        EnvelopeTypes.Discovery => EnvelopeJsonContext.Default.Discovery,
        _ => EnvelopeJsonContext.Default.Pulse,
    };

    /// <summary>
    /// The envelope's <c>type</c> when it is its first field, as every envelope this SDK and the Python package write
    /// has it, leaving <paramref name="reader"/> on its value so that the envelope is read on from there in one pass;
    /// otherwise <see langword="null"/>, and <see cref="FindType"/> looks for it. Anything unusual (not an object, a
    /// malformed start, another first field, an unknown type) takes that path, which says what is wrong.
    /// </summary>
    private static string? LeadingType(ref Utf8JsonReader reader)
    {
        Utf8JsonReader start = reader;
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("type"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                string? type = reader.ValueTextEquals("query"u8) ? EnvelopeTypes.Query
                    : reader.ValueTextEquals("reply"u8) ? EnvelopeTypes.Reply
                    : reader.ValueTextEquals("ack"u8) ? EnvelopeTypes.Ack
                    : reader.ValueTextEquals("discovery"u8) ? EnvelopeTypes.Discovery
                    : reader.ValueTextEquals("pulse"u8) ? EnvelopeTypes.Pulse
                    : null;
                if (type is not null)
                {
                    return type;
                }
            }
        }
        catch (JsonException)
        {
        }

        reader = start;
        return null;
    }

    /// <summary>The envelope's <c>type</c>, one of <see cref="EnvelopeTypes"/>, wherever it is (the first one counts).</summary>
    private static string FindType(ReadOnlySpan<byte> utf8Json)
    {
        Utf8JsonReader reader = new(utf8Json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new AnaEnvelopeException($"Envelope is not a JSON object (it starts with {Describe(reader)}).");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (!isType)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new AnaEnvelopeException($"Envelope field 'type' must be a string, not {Describe(reader)}.");
                }

                if (reader.ValueTextEquals("query"u8))
                {
                    return EnvelopeTypes.Query;
                }

                if (reader.ValueTextEquals("reply"u8))
                {
                    return EnvelopeTypes.Reply;
                }

                if (reader.ValueTextEquals("ack"u8))
                {
                    return EnvelopeTypes.Ack;
                }

                if (reader.ValueTextEquals("discovery"u8))
                {
                    return EnvelopeTypes.Discovery;
                }

                if (reader.ValueTextEquals("pulse"u8))
                {
                    return EnvelopeTypes.Pulse;
                }

                throw new AnaEnvelopeException(
                    $"Envelope type '{Truncate(reader.GetString())}' is unknown; expected query, reply, ack, discovery or pulse.");
            }
        }
        catch (JsonException ex)
        {
            throw new AnaEnvelopeException($"Envelope is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new AnaEnvelopeException("Envelope field 'type' is not valid UTF-8.", ex);
        }

        throw new AnaEnvelopeException("Envelope has no 'type' field.");
    }

    private static AnaEnvelopeException? SyntaxError(ReadOnlySpan<byte> utf8Json)
    {
        Utf8JsonReader reader = new(utf8Json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return new AnaEnvelopeException($"Envelope is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string Describe(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.None => "nothing",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        _ => reader.TokenType.ToString(),
    };

    private static string Truncate(string? value)
        => value is null || value.Length <= MaxQuotedTypeLength ? value ?? "" : value[..MaxQuotedTypeLength] + "…";
}
