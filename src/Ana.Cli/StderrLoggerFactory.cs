using Microsoft.Extensions.Logging;

namespace Ana.Cli;

/// <summary>
/// A minimal logger factory for the bus and the NATS client: entries at or above a level go to standard error as
/// <c>ana: warning: ...</c> lines, with secrets masked. No reflection, no configuration.
/// </summary>
/// <remarks>
/// The runtime's own categories (<c>Ana.*</c>) already report connection losses and malformed messages; the NATS
/// client's categories repeat them in its own words, so they are shown only when <c>verbose</c> is set.
/// </remarks>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly CliOutput _output;
    private readonly LogLevel _minimum;
    private readonly bool _verbose;

    public StderrLoggerFactory(CliOutput output, bool verbose)
    {
        _output = output;
        _verbose = verbose;
        _minimum = verbose ? LogLevel.Information : LogLevel.Warning;
    }

    public ILogger CreateLogger(string categoryName)
        => _verbose || categoryName.StartsWith("Ana.", StringComparison.Ordinal)
            ? new Logger(this, categoryName)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(StderrLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= factory._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null && !message.Contains(exception.Message, StringComparison.Ordinal))
            {
                message += ": " + exception.Message;
            }

            string level = logLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warning",
                LogLevel.Error => "error",
                _ => "critical",
            };
            factory._output.Error(factory._verbose ? $"{level}: [{category}] {message}" : $"{level}: {message}");
        }
    }
}
