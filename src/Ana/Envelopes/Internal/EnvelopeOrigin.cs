namespace Ana;

/// <summary>
/// The fields a bus stamps on everything it sends (<c>from</c>, <c>ts</c>, <c>clock</c>, <c>host</c>), taken once per
/// envelope and handed to the envelope's internal constructor.
/// </summary>
internal readonly record struct EnvelopeOrigin(string From, DateTimeOffset Ts, EnvelopeClock Clock, string Host);
