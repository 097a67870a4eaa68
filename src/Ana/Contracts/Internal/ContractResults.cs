using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

using Ana.Contracts.Infrastructure;

namespace Ana.Contracts.Internal;

/// <summary>
/// Reads a contract method's result from the reply's <c>data</c>, with one set of rules and messages whether the data
/// comes as bytes (a typed call) or as a document (after client filters, or for a hand-written client).
/// </summary>
internal static class ContractResults
{
    private const string NoData = "The reply has no data, but the contract returns a value.";

    /// <exception cref="AnaRemoteException">The data does not fit <typeparamref name="T"/>, or is <c>null</c> where the contract returns a value.</exception>
    public static T Read<T>(ReadOnlySpan<byte> data, JsonTypeInfo<T> typeInfo, string agent, string topic, bool allowNull)
    {
        if (DiscriminatorOrder.MayReorder(typeInfo))
        {
            return Read(HotEnvelopeReader.ParseData(data), typeInfo, agent, topic, allowNull);
        }

        try
        {
            return NotNull(JsonSerializer.Deserialize(data, typeInfo), agent, topic, allowNull);
        }
        catch (JsonException ex)
        {
            throw DoesNotFit(agent, topic, ex);
        }
        catch (NotSupportedException ex)
        {
            throw DoesNotFit(agent, topic, ex);
        }
    }

    /// <exception cref="AnaRemoteException">The data does not fit <typeparamref name="T"/>, or is <c>null</c> where the contract returns a value.</exception>
    public static T Read<T>(JsonElement? data, JsonTypeInfo<T> typeInfo, string agent, string topic, bool allowNull)
    {
        if (data is not { ValueKind: not JsonValueKind.Null } element)
        {
            return Absent<T>(agent, topic, allowNull);
        }

        try
        {
            return NotNull(DiscriminatorOrder.Normalize(element, typeInfo).Deserialize(typeInfo), agent, topic, allowNull);
        }
        catch (JsonException ex)
        {
            throw DoesNotFit(agent, topic, ex);
        }
        catch (NotSupportedException ex)
        {
            throw DoesNotFit(agent, topic, ex);
        }
    }

    /// <summary>The result of a reply without data: <see langword="null"/> where the contract allows it.</summary>
    /// <exception cref="AnaRemoteException">The contract returns a value.</exception>
    public static T Absent<T>(string agent, string topic, bool allowNull)
        => allowNull ? default! : throw new AnaRemoteException(agent, topic, AnaErrorCodes.BadResponse, NoData);

    private static T NotNull<T>(T? value, string agent, string topic, bool allowNull)
        => value is not null || allowNull ? value! : throw new AnaRemoteException(agent, topic, AnaErrorCodes.BadResponse, NoData);

    private static AnaRemoteException DoesNotFit(string agent, string topic, JsonException ex)
        => new(agent, topic, AnaErrorCodes.BadResponse, $"The reply does not fit the contract: {ContractArguments.WithPath(ex)}");

    // An abstract polymorphic base without its type discriminator cannot be instantiated.
    private static AnaRemoteException DoesNotFit(string agent, string topic, NotSupportedException ex)
        => new(agent, topic, AnaErrorCodes.BadResponse, $"The reply does not fit the contract: {ex.Message}");
}
