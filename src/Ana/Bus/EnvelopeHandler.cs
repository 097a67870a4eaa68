namespace Ana;

/// <summary>Handles one inbound envelope; <paramref name="context"/> replies to it or acknowledges it.</summary>
public delegate ValueTask EnvelopeHandler(Envelope envelope, InboundContext context);
