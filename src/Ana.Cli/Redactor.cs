using Ana.Transport;

namespace Ana.Cli;

/// <summary>Replaces every secret the CLI was given (token, password, NKey seed, URL credentials) by <c>***</c>.</summary>
internal sealed class Redactor
{
    private const string Mask = "***";
    private readonly List<string> _secrets = [];

    /// <summary>Remembers <paramref name="secret"/> so that <see cref="Redact"/> hides it.</summary>
    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 3 && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);

            // Longest first, so that a secret containing another is masked whole.
            _secrets.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>
    /// Remembers the user info of each URL of a comma-separated list (<c>nats://user:pass@host</c>, <c>nats://token@host</c>):
    /// everything before the last <c>@</c> of each URL, as written and percent-decoded, by the runtime's own rule
    /// (<see cref="UrlSecrets"/>, compiled into the CLI as well).
    /// </summary>
    public void AddUrlCredentials(string? urls)
    {
        foreach (string secret in UrlSecrets.Secrets(urls))
        {
            Add(secret);
        }
    }

    /// <summary><paramref name="text"/> with every known secret masked.</summary>
    public string Redact(string text)
    {
        foreach (string secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
