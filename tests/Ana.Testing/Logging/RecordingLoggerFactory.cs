using Microsoft.Extensions.Logging;

namespace Ana.Testing.Logging;

/// <summary>Hands the same <see cref="RecordingLogger"/> to every category.</summary>
public sealed class RecordingLoggerFactory(RecordingLogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
