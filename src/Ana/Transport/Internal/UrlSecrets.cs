namespace Ana.Transport;

/// <summary>
/// The one rule for credentials in server URLs (<c>nats://user:password@host</c>, <c>nats://token@host</c>), shared by the
/// runtime and the CLI (which compiles this file in as well): everything between a URL's scheme and its last <c>@</c>
/// is secret, and a URL whose <c>@</c> the URI parser would not see as the end of its user info is refused.
/// Depends on the base library only.
/// </summary>
internal static class UrlSecrets
{
    /// <summary>What replaces the user info of a URL.</summary>
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="urls"/> (one URL or a comma-separated list) with the user info of each URL, everything between
    /// its <c>scheme://</c> (or its start) and its last <c>@</c>, replaced by <see cref="Mask"/>. A secret that contains
    /// a comma, a slash, <c>://</c> or further <c>@</c> is still covered (see <see cref="SecretSpans"/>).
    /// </summary>
    public static string Redact(string? urls)
    {
        if (string.IsNullOrEmpty(urls))
        {
            return string.Empty;
        }

        if (!urls.Contains('@', StringComparison.Ordinal))
        {
            return urls;
        }

        System.Text.StringBuilder result = new(urls.Length);
        int copied = 0;
        foreach ((int start, int end) in SecretSpans(urls))
        {
            result.Append(urls, copied, start - copied).Append(Mask);
            copied = end;
        }

        return result.Append(urls, copied, urls.Length - copied).ToString();
    }

    /// <summary>
    /// <paramref name="text"/> (a message, a log line) with the user info of every <c>scheme://user-info@</c> in it
    /// replaced by <see cref="Mask"/>: from the <c>://</c> to the last <c>@</c> before the next white space. For text that
    /// merely contains URLs, such as the NATS client's messages; <see cref="Redact"/> is for a URL list itself.
    /// </summary>
    public static string RedactInText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || text.IndexOf('@', scheme) < 0)
        {
            return text;
        }

        System.Text.StringBuilder result = new(text.Length);
        int copied = 0;
        bool masked = false;
        while (scheme >= 0)
        {
            int start = scheme + 3;
            int end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            int at = text.LastIndexOf('@', end - 1, end - start);
            if (at >= start)
            {
                result.Append(text, copied, start - copied).Append(Mask);
                copied = at;
                masked = true;
            }

            scheme = end < text.Length ? text.IndexOf("://", end, StringComparison.Ordinal) : -1;
        }

        // The same instance when nothing was masked: callers can tell.
        return masked ? result.Append(text, copied, text.Length - copied).ToString() : text;
    }

    /// <summary>
    /// The secret parts of <paramref name="urls"/> as written (the spans <see cref="Redact"/> masks), each also
    /// percent-decoded and, for <c>user:password</c>, the password alone: what a tool that masks known values must hide.
    /// </summary>
    public static IReadOnlyList<string> Secrets(string? urls)
    {
        List<string> secrets = [];
        if (string.IsNullOrEmpty(urls))
        {
            return secrets;
        }

        foreach ((int start, int end) in SecretSpans(urls))
        {
            string userInfo = urls[start..end];
            AddWithDecoded(secrets, userInfo);
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && colon + 1 < userInfo.Length)
            {
                AddWithDecoded(secrets, userInfo[(colon + 1)..]);
            }
        }

        return secrets;
    }

    /// <summary>
    /// Null when every URL of <paramref name="urls"/> is well formed as far as credentials go; otherwise why not, without
    /// any secret. Refused: an <c>@</c> after the authority (after a <c>/</c>, <c>?</c> or <c>#</c>: a parser sees the text
    /// before it as the host, so a secret would be taken for a host name and shown), and a port that is not a number (a
    /// comma or colon inside a secret splits it).
    /// </summary>
    public static string? Problem(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        string[] parts = urls.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string url = parts[i];
            string which = parts.Length == 1 ? "The server URL" : $"Server URL {i + 1} of {parts.Length}";
            int scheme = url.IndexOf("://", StringComparison.Ordinal);
            int authorityStart = scheme < 0 ? 0 : scheme + 3;
            int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
            authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;
            if (url.IndexOf('@', authorityEnd) >= 0)
            {
                return $"{which} has an '@' after a '/', '?' or '#', so its credentials would be read as a host name. "
                    + "Percent-encode those characters in the user info (%2F for '/', %3F for '?', %23 for '#', %40 for '@', %2C for ','), "
                    + "or pass the credentials with the token or user/password options instead of the URL.";
            }

            int at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
            string hostPort = url[(at < 0 ? authorityStart : at + 1)..authorityEnd];
            if (!IsHostAndPort(hostPort))
            {
                return $"{which} does not end its authority with host[:port] (a ',' or ':' inside credentials splits the URL). "
                    + "Percent-encode such characters in the user info, or pass the credentials with the token or user/password options.";
            }
        }

        return null;
    }

    private static bool IsHostAndPort(string hostPort)
    {
        string port;
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            port = hostPort[(close + 1)..];
            if (port.Length == 0)
            {
                return true;
            }

            if (port[0] != ':')
            {
                return false;
            }

            port = port[1..];
        }
        else
        {
            int colon = hostPort.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return hostPort.Length > 0;
            }

            if (colon == 0)
            {
                return false;
            }

            port = hostPort[(colon + 1)..];
        }

        return port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// Each span [start, end) to mask. The text is cut into URLs where a <c>scheme://</c> begins it or follows a comma
    /// (a comma elsewhere may belong to a secret); in each URL that has an <c>@</c>, the span runs from the end of its
    /// <c>scheme://</c> (or its start) to its last <c>@</c>. Without schemes this masks more than the user info, never less.
    /// </summary>
    private static List<(int Start, int End)> SecretSpans(string urls)
    {
        List<int> starts = [0];
        for (int i = 1; i < urls.Length; i++)
        {
            if (urls[i - 1] == ',' || (char.IsWhiteSpace(urls[i - 1]) && urls.AsSpan(0, i).TrimEnd().EndsWith(",")))
            {
                if (SchemeLength(urls, i) > 0)
                {
                    starts.Add(i);
                }
            }
        }

        List<(int Start, int End)> spans = [];
        for (int k = 0; k < starts.Count; k++)
        {
            int start = starts[k];
            int end = k + 1 < starts.Count ? starts[k + 1] : urls.Length;
            int at = urls.LastIndexOf('@', end - 1, end - start);
            if (at < 0)
            {
                continue;
            }

            int scheme = SchemeLength(urls, start);
            int userInfoStart = scheme > 0 && start + scheme <= at ? start + scheme : start;
            while (userInfoStart < at && char.IsWhiteSpace(urls[userInfoStart]))
            {
                userInfoStart++;
            }

            spans.Add((userInfoStart, at));
        }

        return spans;
    }

    /// <summary>The length of <c>scheme://</c> at <paramref name="index"/> (after white space), or 0.</summary>
    private static int SchemeLength(string text, int index)
    {
        int i = index;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiLetter(text[i]))
        {
            return 0;
        }

        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '+' or '-' or '.'))
        {
            i++;
        }

        return text.AsSpan(i).StartsWith("://") ? i + 3 - index : 0;
    }

    private static void AddWithDecoded(List<string> secrets, string secret)
    {
        if (secret.Length == 0)
        {
            return;
        }

        secrets.Add(secret);
        try
        {
            string decoded = Uri.UnescapeDataString(secret);
            if (decoded != secret)
            {
                secrets.Add(decoded);
            }
        }
        catch (UriFormatException)
        {
            // Not decodable: the raw form is all there is.
        }
    }
}
