using System.Globalization;
using System.Text;

namespace Ana.Contracts.Generator;

/// <summary>JSON string literals for text the generator writes as JSON (System.Text.Json is not available to a netstandard2.0 generator).</summary>
internal static class JsonText
{
    /// <summary><paramref name="value"/> as a JSON string literal, quotes included: control characters, <c>"</c> and <c>\</c> escaped.</summary>
    public static string Quote(string value)
    {
        StringBuilder text = new(value.Length + 2);
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (c < ' ')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
