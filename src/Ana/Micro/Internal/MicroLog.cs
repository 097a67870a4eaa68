using Microsoft.Extensions.Logging;

namespace Ana.Micro;

/// <summary>The log messages of NATS micro discovery, source-generated.</summary>
internal static partial class MicroLog
{
    [LoggerMessage(30, LogLevel.Warning, "The server refused the subscription to '{Subject}': the service '{Service}' is served but not discoverable with NATS micro ($SRV). Allow subscribing to the $SRV subjects, or set AgentBusOptions.MicroDiscovery = false. Server: {Problem}")]
    public static partial void DiscoveryRefused(ILogger logger, string service, string subject, string problem);

    [LoggerMessage(31, LogLevel.Warning, "Could not answer the NATS micro request on '{Subject}'")]
    public static partial void AnswerFailed(ILogger logger, string subject, Exception exception);

    [LoggerMessage(32, LogLevel.Warning, "A NATS micro response of '{Service}' does not fit the server's max_payload ({MaxPayload} bytes) even without the endpoints' metadata: not answered")]
    public static partial void InfoTooLarge(ILogger logger, string service, long maxPayload);
}
