using Microsoft.Extensions.Logging;

namespace Ana.Testing.Logging;

/// <summary>One entry a <see cref="RecordingLogger"/> recorded.</summary>
public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);
