using System.Globalization;
using System.Text;
using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// The naming policies of System.Text.Json, reimplemented for the generator (which runs on netstandard2.0, where
/// <c>JsonNamingPolicy.SnakeCaseLower</c> and friends do not exist). The algorithms are those of
/// <c>JsonCamelCaseNamingPolicy</c> and <c>JsonSeparatorNamingPolicy</c> in dotnet/runtime, character for character,
/// so that a key the generator writes is the key the serializer would write; the tests compare them with the real ones.
/// </summary>
internal static class JsonNaming
{
    /// <summary>Converts <paramref name="name"/> with <paramref name="policy"/>; <see cref="JsonNamingPolicyKind.None"/> keeps it.</summary>
    public static string Convert(string name, JsonNamingPolicyKind policy) => policy switch
    {
        JsonNamingPolicyKind.CamelCase => ToCamelCase(name),
        JsonNamingPolicyKind.SnakeCaseLower => ToSeparated(name, '_', lowercase: true),
        JsonNamingPolicyKind.SnakeCaseUpper => ToSeparated(name, '_', lowercase: false),
        JsonNamingPolicyKind.KebabCaseLower => ToSeparated(name, '-', lowercase: true),
        JsonNamingPolicyKind.KebabCaseUpper => ToSeparated(name, '-', lowercase: false),
        _ => name,
    };

    /// <summary>As <c>JsonNamingPolicy.CamelCase</c>: lowercases the leading run of capitals (<c>XMLReader</c> → <c>xmlReader</c>).</summary>
    public static string ToCamelCase(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0]))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            bool hasNext = i + 1 < chars.Length;

            // Stop when the next character is already lowercase.
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                // If the next character is a space, lowercase the current one before stopping.
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    /// <summary>As <c>JsonNamingPolicy.SnakeCaseLower</c> and its siblings: words split at case changes, joined by <paramref name="separator"/>.</summary>
    public static string ToSeparated(string name, char separator, bool lowercase)
    {
        StringBuilder builder = new((int)(1.2 * name.Length));
        SeparatorState state = SeparatorState.NotStarted;

        for (int i = 0; i < name.Length; i++)
        {
            // Like System.Text.Json, this does not handle letters outside the BMP (surrogate pairs).
            char current = name[i];
            UnicodeCategory category = char.GetUnicodeCategory(current);

            switch (category)
            {
                case UnicodeCategory.UppercaseLetter:
                    switch (state)
                    {
                        case SeparatorState.LowercaseLetterOrDigit:
                        case SeparatorState.SpaceSeparator:
                            // An uppercase letter after lowercase letters or spaces starts a new word.
                            builder.Append(separator);
                            break;

                        case SeparatorState.UppercaseLetter:
                            // In a run of capitals, the last one starts a new word when lowercase letters follow:
                            // 'XMLReader' becomes 'xml_reader', but 'SHA512Hash' becomes 'sha512_hash'.
                            if (i + 1 < name.Length && char.IsLower(name[i + 1]))
                            {
                                builder.Append(separator);
                            }

                            break;
                    }

                    if (lowercase)
                    {
                        current = char.ToLowerInvariant(current);
                    }

                    builder.Append(current);
                    state = SeparatorState.UppercaseLetter;
                    break;

                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    if (state == SeparatorState.SpaceSeparator)
                    {
                        // Spaces between words become one separator.
                        builder.Append(separator);
                    }

                    if (!lowercase && category == UnicodeCategory.LowercaseLetter)
                    {
                        current = char.ToUpperInvariant(current);
                    }

                    builder.Append(current);
                    state = SeparatorState.LowercaseLetterOrDigit;
                    break;

                case UnicodeCategory.SpaceSeparator:
                    // Leading and trailing spaces are dropped.
                    if (state != SeparatorState.NotStarted)
                    {
                        state = SeparatorState.SpaceSeparator;
                    }

                    break;

                default:
                    // Anything else (including the separator itself) is copied and starts over.
                    builder.Append(current);
                    state = SeparatorState.NotStarted;
                    break;
            }
        }

        return builder.ToString();
    }

    private enum SeparatorState
    {
        NotStarted,
        UppercaseLetter,
        LowercaseLetterOrDigit,
        SpaceSeparator,
    }
}
