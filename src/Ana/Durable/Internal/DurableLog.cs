using Microsoft.Extensions.Logging;

namespace Ana.Durable;

/// <summary>The log lines of durable work.</summary>
internal static partial class DurableLog
{
    [LoggerMessage(60, LogLevel.Warning, "The JetStream consumer '{Consumer}' of '{Subject}' has settings other than the SDK's ({Differences}): it is used as it is; DurableOptions.UpdateServerConfig = true makes the SDK update it")]
    public static partial void ConsumerDiffers(ILogger logger, string consumer, string subject, string differences);

    [LoggerMessage(61, LogLevel.Information, "The JetStream consumer '{Consumer}' was updated to the SDK's settings ({Differences})")]
    public static partial void ConsumerUpdated(ILogger logger, string consumer, string differences);
}
