using Microsoft.Extensions.Logging;

namespace Ana.Transport.Nats;

/// <summary>
/// The logger factory handed to the NATS client: a line whose text holds a URL with user info is passed on with that
/// user info masked (<see cref="UrlSecrets.RedactInText"/>) and as plain text, so that no sink, structured or not, sees
/// the original values; every other line goes through untouched, structure and all.
/// </summary>
internal sealed class UrlRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Does nothing: the factory it wraps belongs to the bus's owner.</summary>
    public void Dispose()
    {
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            string text = formatter(state, exception);
            string redacted = UrlSecrets.RedactInText(text);
            string? exceptionText = exception?.ToString();
            string? redactedException = exceptionText is null ? null : UrlSecrets.RedactInText(exceptionText);
            if (ReferenceEquals(redacted, text) && ReferenceEquals(redactedException, exceptionText))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            // An exception whose text names a URL with user info is replaced by its masked text (type, message, causes, stack).
            Exception? shown = ReferenceEquals(redactedException, exceptionText) ? exception : new RedactedException(redactedException!);
            inner.Log(logLevel, eventId, redacted, shown, static (message, _) => message);
        }
    }

    /// <summary>Stands for an exception whose message had to be masked.</summary>
    private sealed class RedactedException(string message) : Exception(message);
}
