namespace Ana;

/// <summary>
/// What a bus stamps on an envelope it writes with <see cref="HotEnvelopeWriter"/>: <c>from</c>, <c>ts</c>, the
/// <c>clock</c>'s two fields and <c>host</c>, without an <see cref="EnvelopeClock"/> object.
/// </summary>
internal readonly record struct EnvelopeStamp(string From, DateTimeOffset Ts, DateTimeOffset LocalTime, double UptimeSeconds, string Host);
