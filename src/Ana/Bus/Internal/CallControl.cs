using System.Diagnostics.CodeAnalysis;
using Ana.Transport;

namespace Ana;

/// <summary>
/// The serving side of the control channel: callers steer the calls they made (grant stream credit, cancel) with
/// <see cref="Ack"/> envelopes on <c>&lt;prefix&gt;.&lt;caller&gt;.ack.&lt;agent&gt;.&lt;topic&gt;</c>, a subject only the
/// caller may publish on under the permissions of docs/nats-notes.md, and this bus listens on
/// <c>&lt;prefix&gt;.*.ack.&lt;agent&gt;.&gt;</c>, with no queue group: the member of a queue group serving the call is
/// the one that knows its request id; the others drop the message.
/// </summary>
/// <remarks>
/// A control message takes effect only on a call this bus serves whose caller (the query's <c>from</c>) is the sender
/// token of the control subject, which NATS permissions vouch for: another agent cannot cancel a call it did not make,
/// even knowing its request id. Anything else is dropped and counted (<see cref="AgentBusStatistics.DroppedControlMessages"/>).
/// </remarks>
internal sealed class CallControl : IAsyncDisposable
{
    private readonly EnvelopeReceiver _receiver;
    private readonly int _callerStart;
    private readonly Dictionary<CallKey, ServedCall> _calls = [];
    private ITransportSubscription? _subscription;

    private CallControl(EnvelopeReceiver receiver, string prefix)
    {
        _receiver = receiver;
        _callerStart = prefix.Length + 1;
    }

    /// <summary>The subject this bus listens on for the control messages of calls to <paramref name="agent"/>.</summary>
    public static string SubjectFor(SubjectScheme subjects, string agent) => string.Concat(subjects.Prefix, ".*.ack.", agent, ".>");

    /// <summary>
    /// Where <paramref name="caller"/> steers its call to <paramref name="querySubject"/>:
    /// <c>&lt;prefix&gt;.&lt;caller&gt;.ack.&lt;agent&gt;.&lt;topic&gt;</c>; <see langword="null"/> for a query with no topic, or
    /// on a subject outside the scheme, whose calls cannot be steered.
    /// </summary>
    public static string? SubjectOf(SubjectScheme subjects, string caller, string querySubject)
        => subjects.TryParse(querySubject, out AgentSubject target) && target.Verb == SubjectVerb.Query && target.Topic is { } topic
            ? string.Concat(subjects.Prefix, ".", caller, ".ack.", target.Agent, ".", topic)
            : null;

    /// <summary>
    /// Listens on <paramref name="subject"/>; <see langword="null"/> when the server refuses it (logged as a warning):
    /// the calls are then served without control.
    /// </summary>
    public static async ValueTask<CallControl?> StartAsync(ITransport transport, EnvelopeReceiver receiver, SubjectScheme subjects, string subject, CancellationToken cancellationToken)
    {
        CallControl control = new(receiver, subjects.Prefix);
        try
        {
            control._subscription = await transport.SubscribeInlineAsync(subject, control.OnMessage, cancellationToken).ConfigureAwait(false);
            return control;
        }
        catch (AnaPermissionException refused)
        {
            Log.ControlSubjectRefused(receiver.Logger, subject, refused.ServerError);
            return null;
        }
    }

    /// <summary>Starts serving a call that its caller may steer; <see cref="End"/> ends it, however it ends.</summary>
    public ServedCall Register(string caller, string requestId, CancellationToken bound)
    {
        ServedCall call = new() { Caller = caller, RequestId = requestId };
        call.Bind(bound);
        lock (_calls)
        {
            // A caller that reuses a request id while its first call runs steers the later one: its own doing.
            _calls[new CallKey(caller, requestId)] = call;
        }

        return call;
    }

    public void End(ServedCall call)
    {
        lock (_calls)
        {
            CallKey key = new(call.Caller, call.RequestId);
            if (_calls.TryGetValue(key, out ServedCall? current) && current == call)
            {
                _calls.Remove(key);
            }
        }

        call.Dispose();
    }

    public ValueTask DisposeAsync() => _subscription?.DisposeAsync() ?? default;

    private ValueTask OnMessage(TransportMessage message)
    {
        if (message.IsNoResponders || !_receiver.TryParse(message, out Envelope? envelope))
        {
            return default;
        }

        if (envelope is not Ack { RequestId: { } requestId } ack || (ack.Cancel != true && ack.Credit is null))
        {
            Drop(message.Subject, (envelope as Ack)?.RequestId, "not a control message (an ack with a request id and credit or cancel)");
            return default;
        }

        if (!TryReadCaller(message.Subject, out string? caller))
        {
            Drop(message.Subject, requestId, "its subject names no caller");
            return default;
        }

        lock (_calls)
        {
            if (!_calls.TryGetValue(new CallKey(caller, requestId), out ServedCall? call))
            {
                Drop(message.Subject, requestId, "no such call is being served here, or its caller is another agent");
                return default;
            }

            if (ack.Cancel == true)
            {
                call.CancelByCaller();
            }
            else if (!call.Grant(ack.Credit!.Value))
            {
                Drop(message.Subject, requestId, "credit for a call that is not a stream");
            }
        }

        return default;
    }

    private bool TryReadCaller(string subject, [NotNullWhen(true)] out string? caller)
    {
        int end = subject.IndexOf('.', _callerStart);
        caller = end > _callerStart ? subject[_callerStart..end] : null;
        return caller is not null;
    }

    private void Drop(string subject, string? requestId, string reason)
    {
        _receiver.Counters.DroppedControlMessage();
        Log.ControlDropped(_receiver.Logger, subject, requestId, reason);
    }

    private readonly record struct CallKey(string Caller, string RequestId);
}
