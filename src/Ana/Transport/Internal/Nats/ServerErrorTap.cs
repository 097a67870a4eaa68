using Microsoft.Extensions.Logging;

namespace Ana.Transport.Nats;

/// <summary>
/// The logger factory handed to the NATS client: it passes every logger through unchanged, except the read loop's,
/// whose "Server error" entries it also reports to <see cref="ServerError"/> at the moment they are written.
/// </summary>
/// <remarks>
/// Why: NATS.Client.Core 3.3.2 reports a <c>-ERR</c> (such as a refused subscription) through its <c>ServerError</c>
/// event, which runs on an event task that lags behind the read loop, and nothing orders it before a later PONG. The
/// read loop itself logs the error synchronously, before it reads the next line, so a callback here runs before the
/// PONG of a PING sent after the SUB completes: a subscription check made after that PONG is certain, not likely.
/// The coupling (the read loop's category and its message template) is pinned by tests of the tap and of the refusal
/// itself; should the read loop stop logging through the tap, <see cref="IsAttached"/> stays false and the transport
/// falls back to the event and extra round trips.
/// </remarks>
internal sealed class ServerErrorTap : ILoggerFactory
{
    private const string ReadLoopCategory = "NATS.Client.Core.Internal.NatsReadProtocolProcessor";
    private const string ServerErrorTemplate = "Server error {Error}";

    private readonly ILoggerFactory _inner;
    private volatile bool _attached;

    public ServerErrorTap(ILoggerFactory inner) => _inner = inner;

    /// <summary>Called on the read loop with each error the server sent (<c>-ERR '…'</c>), before the next line is read.</summary>
    public Action<string>? ServerError { get; set; }

    /// <summary>Whether the client's read loop logs through this factory, so <see cref="ServerError"/> is reliable.</summary>
    public bool IsAttached => _attached;

    public ILogger CreateLogger(string categoryName)
    {
        ILogger logger = _inner.CreateLogger(categoryName);
        if (!string.Equals(categoryName, ReadLoopCategory, StringComparison.Ordinal))
        {
            return logger;
        }

        _attached = true;
        return new TappedLogger(logger, this);
    }

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>The user's factory is theirs to dispose.</summary>
    public void Dispose()
    {
    }

    private sealed class TappedLogger(ILogger inner, ServerErrorTap tap) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && FindServerError(values) is { } error)
            {
                tap.ServerError?.Invoke(error);
            }

            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private static string? FindServerError(IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            string? error = null;
            bool isServerError = false;
            for (int i = 0; i < values.Count; i++)
            {
                KeyValuePair<string, object?> value = values[i];
                if (value.Key == "{OriginalFormat}")
                {
                    isServerError = value.Value is string template && string.Equals(template, ServerErrorTemplate, StringComparison.Ordinal);
                }
                else if (value.Key == "Error")
                {
                    error = value.Value as string;
                }
            }

            return isServerError ? error : null;
        }
    }
}
