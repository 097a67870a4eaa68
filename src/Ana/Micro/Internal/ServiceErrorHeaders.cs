using NATS.Client.Core;

namespace Ana.Micro;

/// <summary>
/// The headers ADR-32 puts on an error response, <c>Nats-Service-Error</c> (the text) and <c>Nats-Service-Error-Code</c>
/// (a number, HTTP-like), written on Ana's error replies next to the envelope's <c>error</c>.
/// </summary>
internal static class ServiceErrorHeaders
{
    public const string Error = "Nats-Service-Error";
    public const string Code = "Nats-Service-Error-Code";

    /// <summary>New headers for one error reply (the NATS client may write into them, so they are never shared).</summary>
    public static NatsHeaders For(ReplyError error) => new()
    {
        [Error] = error.Message,
        [Code] = NumericCode(error.Code),
    };

    /// <summary>The number for an Ana error code; an application's own code is 500.</summary>
    public static string NumericCode(string code) => code switch
    {
        AnaErrorCodes.BadRequest => "400",
        AnaErrorCodes.PermissionDenied => "403",
        AnaErrorCodes.NotFound => "404",
        AnaErrorCodes.Timeout => "408",
        AnaErrorCodes.Cancelled => "499",
        AnaErrorCodes.Unavailable => "503",
        AnaErrorCodes.Overloaded => "429",
        _ => "500",
    };
}
