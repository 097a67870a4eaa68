using System.Globalization;
using System.Text;

namespace Ana.Contracts.Generator;

/// <summary>The kinds of JSON value.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A parsed JSON value, for the baseline files the generator reads and writes (System.Text.Json is not available to a
/// netstandard2.0 generator). Objects keep their members in order; numbers keep their text.
/// </summary>
internal sealed class JsonTree
{
    private JsonTree(JsonKind kind, string? text = null, List<KeyValuePair<string, JsonTree>>? members = null, List<JsonTree>? items = null)
    {
        Kind = kind;
        Text = text;
        Members = members ?? [];
        Items = items ?? [];
    }

    public JsonKind Kind { get; }

    /// <summary>A string's value or a number's text.</summary>
    public string? Text { get; }

    public List<KeyValuePair<string, JsonTree>> Members { get; }

    public List<JsonTree> Items { get; }

    public static JsonTree Null { get; } = new(JsonKind.Null);

    public static JsonTree String(string value) => new(JsonKind.String, value);

    public static JsonTree Number(string text) => new(JsonKind.Number, text);

    public static JsonTree Boolean(bool value) => new(value ? JsonKind.True : JsonKind.False);

    public static JsonTree Object(params (string Name, JsonTree Value)[] members)
        => new(JsonKind.Object, members: members.Select(m => new KeyValuePair<string, JsonTree>(m.Name, m.Value)).ToList());

    public static JsonTree Array(IEnumerable<JsonTree> items) => new(JsonKind.Array, items: items.ToList());

    /// <summary>The member <paramref name="name"/> of an object, or <see langword="null"/>.</summary>
    public JsonTree? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, JsonTree> member in Members)
            {
                if (member.Key == name)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The string value of the member <paramref name="name"/>, or <see langword="null"/>.</summary>
    public string? StringOf(string name) => this[name] is { Kind: JsonKind.String } value ? value.Text : null;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">It is not one JSON value.</exception>
    public static JsonTree Parse(string text)
    {
        int position = 0;
        JsonTree value = ParseValue(text, ref position, depth: 0);
        SkipWhitespace(text, ref position);
        if (position != text.Length)
        {
            throw Error(text, position, "text after the value");
        }

        return value;
    }

    /// <summary>The value as compact JSON.</summary>
    public override string ToString()
    {
        StringBuilder text = new();
        Write(text, indent: null, level: 0);
        return text.ToString();
    }

    /// <summary>The value as JSON indented by two spaces, one member or item per line, lines ending in <c>\n</c>.</summary>
    public string ToIndentedString()
    {
        StringBuilder text = new();
        Write(text, indent: "  ", level: 0);
        return text.Append('\n').ToString();
    }

    private void Write(StringBuilder text, string? indent, int level)
    {
        switch (Kind)
        {
            case JsonKind.Object:
                WriteContainer(text, '{', '}', Members.Count, indent, level, (i, t) =>
                {
                    t.Append(JsonText.Quote(Members[i].Key)).Append(indent is null ? ":" : ": ");
                    Members[i].Value.Write(t, indent, level + 1);
                });
                break;
            case JsonKind.Array:
                WriteContainer(text, '[', ']', Items.Count, indent, level, (i, t) => Items[i].Write(t, indent, level + 1));
                break;
            case JsonKind.String:
                text.Append(JsonText.Quote(Text!));
                break;
            case JsonKind.Number:
                text.Append(Text);
                break;
            case JsonKind.True:
                text.Append("true");
                break;
            case JsonKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteContainer(StringBuilder text, char open, char close, int count, string? indent, int level, Action<int, StringBuilder> writeItem)
    {
        text.Append(open);
        for (int i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",");
            if (indent is not null)
            {
                text.Append('\n').Append(Repeat(indent, level + 1));
            }

            writeItem(i, text);
        }

        if (indent is not null && count > 0)
        {
            text.Append('\n').Append(Repeat(indent, level));
        }

        text.Append(close);
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    private static JsonTree ParseValue(string text, ref int position, int depth)
    {
        if (depth > 256)
        {
            throw Error(text, position, "nesting deeper than 256");
        }

        SkipWhitespace(text, ref position);
        if (position >= text.Length)
        {
            throw Error(text, position, "a value was expected");
        }

        char c = text[position];
        switch (c)
        {
            case '{':
                return ParseObject(text, ref position, depth);
            case '[':
                return ParseArray(text, ref position, depth);
            case '"':
                return String(ParseString(text, ref position));
            case 't':
                Expect(text, ref position, "true");
                return Boolean(true);
            case 'f':
                Expect(text, ref position, "false");
                return Boolean(false);
            case 'n':
                Expect(text, ref position, "null");
                return Null;
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber(text, ref position);
                }

                throw Error(text, position, $"unexpected '{c}'");
        }
    }

    private static JsonTree ParseObject(string text, ref int position, int depth)
    {
        List<KeyValuePair<string, JsonTree>> members = [];
        position++;
        SkipWhitespace(text, ref position);
        if (position < text.Length && text[position] == '}')
        {
            position++;
            return new JsonTree(JsonKind.Object, members: members);
        }

        while (true)
        {
            SkipWhitespace(text, ref position);
            if (position >= text.Length || text[position] != '"')
            {
                throw Error(text, position, "a member name was expected");
            }

            string name = ParseString(text, ref position);
            SkipWhitespace(text, ref position);
            if (position >= text.Length || text[position] != ':')
            {
                throw Error(text, position, "':' was expected");
            }

            position++;
            members.Add(new KeyValuePair<string, JsonTree>(name, ParseValue(text, ref position, depth + 1)));
            SkipWhitespace(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
                continue;
            }

            if (position < text.Length && text[position] == '}')
            {
                position++;
                return new JsonTree(JsonKind.Object, members: members);
            }

            throw Error(text, position, "',' or '}' was expected");
        }
    }

    private static JsonTree ParseArray(string text, ref int position, int depth)
    {
        List<JsonTree> items = [];
        position++;
        SkipWhitespace(text, ref position);
        if (position < text.Length && text[position] == ']')
        {
            position++;
            return new JsonTree(JsonKind.Array, items: items);
        }

        while (true)
        {
            items.Add(ParseValue(text, ref position, depth + 1));
            SkipWhitespace(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
                continue;
            }

            if (position < text.Length && text[position] == ']')
            {
                position++;
                return new JsonTree(JsonKind.Array, items: items);
            }

            throw Error(text, position, "',' or ']' was expected");
        }
    }

    private static string ParseString(string text, ref int position)
    {
        StringBuilder value = new();
        position++;
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (position >= text.Length)
            {
                break;
            }

            char escaped = text[position++];
            switch (escaped)
            {
                case '"':
                case '\\':
                case '/':
                    value.Append(escaped);
                    break;
                case 'b':
                    value.Append('\b');
                    break;
                case 'f':
                    value.Append('\f');
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'u' when position + 4 <= text.Length
                    && int.TryParse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    value.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw Error(text, position - 1, "an invalid escape");
            }
        }

        throw Error(text, position, "an unterminated string");
    }

    private static JsonTree ParseNumber(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && (char.IsDigit(text[position]) || text[position] is '-' or '+' or '.' or 'e' or 'E'))
        {
            position++;
        }

        string number = text.Substring(start, position - start);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Error(text, start, $"the invalid number '{number}'");
        }

        return Number(number);
    }

    private static void Expect(string text, ref int position, string literal)
    {
        if (string.CompareOrdinal(text, position, literal, 0, literal.Length) != 0)
        {
            throw Error(text, position, $"'{literal}' was expected");
        }

        position += literal.Length;
    }

    private static void SkipWhitespace(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r')
        {
            position++;
        }
    }

    private static FormatException Error(string text, int position, string what)
    {
        int line = 1;
        int column = 1;
        for (int i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new FormatException($"{what} at line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}");
    }
}
