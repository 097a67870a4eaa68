using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;

namespace Ana.Cli;

/// <summary>Custom parsers and validators of option values; each problem becomes a usage error (exit code 2).</summary>
internal static class CliParsers
{
    /// <summary>The longest wait a <c>--timeout</c> accepts: one day.</summary>
    public const double MaxSeconds = 86_400;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = EnvelopeSerializer.MaxDepth };

    /// <summary>Parses a JSON value with <see cref="JsonDocument"/> (no reflection).</summary>
    public static JsonElement? ParseJson(ArgumentResult result)
    {
        string text = SingleToken(result);
        try
        {
            using JsonDocument document = JsonDocument.Parse(text, DocumentOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            result.AddError($"{OptionName(result)} is not valid JSON: {ex.Message}");
            return null;
        }
    }

    /// <summary>Parses a JSON object (for <c>--capabilities</c>).</summary>
    public static JsonElement? ParseJsonObject(ArgumentResult result)
    {
        JsonElement? value = ParseJson(result);
        if (value is { ValueKind: not JsonValueKind.Object })
        {
            result.AddError($"{OptionName(result)} must be a JSON object, e.g. '{{\"gpu\": \"A100\"}}'.");
            return null;
        }

        return value;
    }

    /// <summary>Parses a number of seconds: positive, finite, at most <see cref="MaxSeconds"/>, with a '.' decimal point.</summary>
    public static double ParseSeconds(ArgumentResult result)
    {
        string text = SingleToken(result);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds > MaxSeconds)
        {
            result.AddError($"{OptionName(result)} must be a number of seconds greater than 0 and at most {MaxSeconds:0}, e.g. 5 or 0.5; got '{text}'.");
            return 0;
        }

        return seconds;
    }

    /// <summary>Checks that an option or argument value is a valid agent name (one subject token).</summary>
    public static void ValidateAgent(SymbolResult result, string? value)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            _ = SubjectScheme.Default.AgentWildcard(value);
        }
        catch (ArgumentException ex)
        {
            result.AddError(Describe(result, ex));
        }
    }

    /// <summary>Checks that a value is a valid topic: dot-separated tokens, at most <see cref="SubjectScheme.MaxTopicBytes"/> in UTF-8.</summary>
    public static void ValidateTopic(SymbolResult result, string? value)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            _ = SubjectScheme.Default.Build("x", SubjectVerb.Query, value);
        }
        catch (ArgumentException ex)
        {
            result.AddError(Describe(result, ex));
        }
    }

    /// <summary>Checks that a value is a valid prefix: dot-separated tokens, at most <see cref="SubjectScheme.MaxPrefixBytes"/> in UTF-8.</summary>
    public static void ValidateDotted(SymbolResult result, string? value)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            _ = new SubjectScheme(value);
        }
        catch (ArgumentException ex)
        {
            result.AddError(Describe(result, ex).Replace("Prefix '", "'", StringComparison.Ordinal));
        }
    }

    private static string Describe(SymbolResult result, ArgumentException ex)
    {
        string message = ex.ParamName is { } param
            ? ex.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal)
            : ex.Message;
        string name = result switch
        {
            OptionResult option => option.Option.Name,
            ArgumentResult argument => "<" + argument.Argument.Name + ">",
            _ => "value",
        };
        return $"{name}: {message}";
    }

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string OptionName(ArgumentResult result)
        => result.Parent is OptionResult option ? option.Option.Name : "<" + result.Argument.Name + ">";
}
