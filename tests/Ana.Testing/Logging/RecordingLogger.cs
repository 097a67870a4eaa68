using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ana.Testing.Logging;

/// <summary>An <see cref="ILogger"/> that records entries and lets a test await one.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly object _gate = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Found)> _waiters = [];

    public IReadOnlyCollection<LogEntry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        LogEntry entry = new(logLevel, eventId, formatter(state, exception), exception);
        lock (_gate)
        {
            _entries.Enqueue(entry);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    _waiters[i].Found.TrySetResult(entry);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The first entry (already logged or to come) that matches, or <see cref="TimeoutException"/>.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<LogEntry> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (LogEntry entry in _entries)
            {
                if (match(entry))
                {
                    return Task.FromResult(entry);
                }
            }

            _waiters.Add((match, found));
        }

        return found.Task.WaitAsync(timeout);
    }
}
