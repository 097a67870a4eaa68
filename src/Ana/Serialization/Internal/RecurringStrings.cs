using System.Text.Json;

namespace Ana;

/// <summary>
/// The strings that come back in message after message — agent names, hosts, subjects, topics — handed out again
/// instead of allocated for each envelope. A small direct-mapped table: a value whose slot holds another string simply
/// replaces it, so the table never grows and a stream of new values costs what it cost without it.
/// </summary>
internal static class RecurringStrings
{
    private const int Slots = 256;
    private const int MaxLength = 128;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The string token the reader is on.</summary>
    /// <exception cref="InvalidOperationException">The token is not valid UTF-8.</exception>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        HashCode hash = default;
        hash.AddBytes(reader.ValueSpan);
        ref string? slot = ref Table[hash.ToHashCode() & (Slots - 1)];
        string? known = Volatile.Read(ref slot);
        if (known is not null && reader.ValueTextEquals(known))
        {
            return known;
        }

        string value = reader.GetString()!;
        Volatile.Write(ref slot, value);
        return value;
    }
}
