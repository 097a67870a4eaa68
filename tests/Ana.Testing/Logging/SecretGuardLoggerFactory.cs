using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ana.Testing.Logging;

/// <summary>
/// A logger factory, enabled at every level, that records each line in which any of the given secrets appears (in the
/// message, the exception or its inner exceptions). A test calls <see cref="AssertClean"/> at the end; a throw from inside
/// the logger could be swallowed by whoever logged, so the violation is kept instead.
/// </summary>
public sealed class SecretGuardLoggerFactory(params string[] secrets) : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<string> _violations = new();
    private int _lines;

    /// <summary>How many lines were logged, to show the guard saw something.</summary>
    public int Lines => Volatile.Read(ref _lines);

    /// <summary>Fails with the offending categories and levels (not the lines: they hold the secret) if any secret was logged.</summary>
    public void AssertClean()
    {
        if (!_violations.IsEmpty)
        {
            throw new InvalidOperationException($"{_violations.Count} log line(s) contained a secret: {string.Join("; ", _violations.Distinct())}");
        }
    }

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    bool ILogger.IsEnabled(LogLevel logLevel) => true;

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Check("(none)", logLevel, state, exception, formatter);

    private void Check<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Interlocked.Increment(ref _lines);
        string text = formatter(state, exception) + " " + state + " " + exception;
        foreach (string secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                _violations.Enqueue($"{level} in {category}");
            }
        }
    }

    private sealed class Category(SecretGuardLoggerFactory owner, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Check(name, logLevel, state, exception, formatter);
    }
}
