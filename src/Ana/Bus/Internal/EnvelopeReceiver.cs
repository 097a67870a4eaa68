using System.Diagnostics.CodeAnalysis;
using Ana.Transport;
using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>
/// Everything a bus receives is read here: parsed within the size bound, counted, and, when it is not what the
/// subscription expects, logged and dropped. Subscriptions and the reply router call it; it calls nothing back.
/// </summary>
internal sealed class EnvelopeReceiver
{
    private readonly int _maxEnvelopeBytes;
    private readonly BusCounters _counters;

    public EnvelopeReceiver(int maxEnvelopeBytes, BusCounters counters, ILogger logger)
    {
        _maxEnvelopeBytes = maxEnvelopeBytes;
        _counters = counters;
        Logger = logger;
    }

    public ILogger Logger { get; }

    /// <summary>The bus's counters, which the subscriptions' admission also counts in.</summary>
    public BusCounters Counters => _counters;

    public bool TryParse(TransportMessage message, [NotNullWhen(true)] out Envelope? envelope)
    {
        try
        {
            envelope = EnvelopeSerializer.Parse(message.Payload.Span, _maxEnvelopeBytes);
            _counters.Received();
            return true;
        }
        catch (AnaEnvelopeException ex)
        {
            _counters.Malformed();
            Log.MalformedMessage(Logger, message.Subject, ex.Message);
            envelope = null;
            return false;
        }
    }

    /// <summary>
    /// Reads a message on a call's inbox or reply subject as a reply, its <c>data</c> located but not parsed (the call
    /// reads it). A valid envelope of another type is returned as <paramref name="other"/>, for the caller to use or drop
    /// (<see cref="DropNotAReply"/>); anything invalid is counted and logged. False unless it is a reply.
    /// </summary>
    public bool TryParseReply(TransportMessage message, out ReplyFrame reply, out Envelope? other)
    {
        try
        {
            bool isReply = EnvelopeSerializer.TryParseReplyFrame(message.Payload.Span, _maxEnvelopeBytes, out reply, out other);
            _counters.Received();
            return isReply;
        }
        catch (AnaEnvelopeException ex)
        {
            _counters.Malformed();
            Log.MalformedMessage(Logger, message.Subject, ex.Message);
            reply = default;
            other = null;
            return false;
        }
    }

    /// <summary>Counts and logs an envelope that came where only replies are expected.</summary>
    public void DropNotAReply(string subject, Envelope other)
    {
        _counters.UnmatchedReply();
        Log.NotAReply(Logger, subject, other.Type);
    }

    /// <summary>Counts and logs a reply that no call waits for (unknown, late, duplicate or misaddressed).</summary>
    public void DropUnmatchedReply(string subject, string? requestId)
    {
        _counters.UnmatchedReply();
        Log.UnmatchedReply(Logger, subject, requestId);
    }
}
