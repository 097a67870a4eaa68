using System.Text;
using Ana.Contracts.Infrastructure;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Ana.Durable;

/// <summary>
/// What a server does with the stored messages of one durable (agent, topic): which it runs, and how each is settled
/// after its handler (docs/durable.md, "Consuming" and "Failures and parking"). A call's handler that fails has replied
/// with its error, and the call is done; a one-way handler that fails is tried again after a doubling delay; a message
/// out of attempts, or one that can never be read, is parked.
/// </summary>
internal sealed class WorkTopic
{
    /// <summary>The longest delay before a failed one-way handler is tried again.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>The longest error message a parked copy's header carries.</summary>
    private const int MaxErrorBytes = 1024;

    private readonly INatsJSContext _js;
    private readonly Responder _responder;
    private readonly DurableCounters _counters;
    private readonly string _identity;
    private readonly bool _exposeExceptionMessages;
    private readonly TimeSpan _clockSkewAllowance;

    public WorkTopic(
        DurableTopic settings,
        string agent,
        SubjectScheme subjects,
        EnvelopeHandler handler,
        INatsJSContext js,
        Responder responder,
        DurableCounters counters,
        AgentBusOptions options,
        string identity,
        ILogger logger)
    {
        Settings = settings;
        Subject = subjects.Build(agent, SubjectVerb.Work, settings.Topic);
        ParkedSubject = subjects.Build(agent, SubjectVerb.Parked, settings.Topic);
        Handler = handler;
        _js = js;
        _responder = responder;
        _counters = counters;
        _identity = identity;
        _exposeExceptionMessages = options.ExposeExceptionMessages;
        _clockSkewAllowance = options.ClockSkewAllowance;
        AckWait = options.Durable.AckWait;
        Clock = options.Durable.TimeProvider;
        Logger = logger;
    }

    public DurableTopic Settings { get; }

    /// <summary>The subject its messages are stored on, the consumer's filter: <c>&lt;prefix&gt;.&lt;agent&gt;.work.&lt;topic&gt;</c>.</summary>
    public string Subject { get; }

    /// <summary>Where its parked messages go: <c>&lt;prefix&gt;.&lt;agent&gt;.parked.&lt;topic&gt;</c>.</summary>
    public string ParkedSubject { get; }

    /// <summary>Runs a stored query: the contract's dispatcher, for this topic.</summary>
    public EnvelopeHandler Handler { get; }

    /// <summary>The consumer's ack wait, as the server has it (set once the consumer is found).</summary>
    public TimeSpan AckWait { get; set; }

    /// <summary>The clock deadlines are read on (a test may shift it).</summary>
    public TimeProvider Clock { get; }

    public ILogger Logger { get; }

    /// <summary>The name of the consumer its messages come from (set once it is found, before the first pull).</summary>
    public string Consumer { get; private set; } = "";

    /// <summary>Where its messages are recorded as done; <see langword="null"/> when the bus keeps no completion records.</summary>
    public CompletionRecords? Records { get; private set; }

    /// <summary>Binds it to its consumer and its completion records, once both are found, before its first pull.</summary>
    public void Bind(string consumer, CompletionRecords? records)
    {
        Consumer = consumer;
        Records = records;
    }

    /// <summary>
    /// Whether <paramref name="delivery"/> should run, settling it here when not: one that is not a readable query is
    /// parked; one whose completion record exists is acknowledged (a call's recorded reply sent again); one delivered more times than the method's attempts (servers died on it) is parked without running, and a
    /// call's caller gets a <see cref="AnaErrorCodes.Parked"/> error; a call whose deadline (storage time plus
    /// <c>timeout_s</c>) has passed by more than the clock-skew allowance is acknowledged without running.
    /// </summary>
    public async ValueTask<bool> AdmitAsync(WorkDelivery delivery, Envelope? envelope)
    {
        Interlocked.Increment(ref _counters.Received);
        if (delivery.Attempt > 1)
        {
            Interlocked.Increment(ref _counters.Redelivered);
        }

        if (envelope is not Query query)
        {
            string why = envelope is null ? "it is not a valid envelope" : $"it is a {envelope.Type} envelope, not a query";
            await ParkAsync(delivery, AnaErrorCodes.BadRequest, $"The stored message cannot be run: {why}.").ConfigureAwait(false);
            return false;
        }

        delivery.RequestId = query.RequestId;
        if (Records is not null && query.RequestId is { } requestId && await Records.FindAsync(Consumer, requestId).ConfigureAwait(false) is { } record)
        {
            Interlocked.Increment(ref _counters.RecordHits);
            if (!Settings.OneWay && record.Length > 0)
            {
                await SendRecordedReplyAsync(delivery, record).ConfigureAwait(false);
            }

            await delivery.AckAsync().ConfigureAwait(false);
            return false;
        }

        if (delivery.Attempt > Settings.MaxAttempts)
        {
            string message = $"Delivered {delivery.Attempt} times, more than the method's {Settings.MaxAttempts} attempts: the servers that took it stopped before they finished it, so it is parked instead of run again.";
            await ParkAsync(delivery, AnaErrorCodes.Parked, message).ConfigureAwait(false);
            if (!Settings.OneWay)
            {
                await ReplyErrorAsync(delivery, query, AnaErrorCodes.Parked, message).ConfigureAwait(false);
            }

            return false;
        }

        if (GiveUpAt(delivery, query) is { } giveUp && Clock.GetUtcNow() > giveUp)
        {
            Interlocked.Increment(ref _counters.Expired);
            DurableLog.Expired(Logger, delivery.Subject, query.RequestId, delivery.StoredAt);
            await delivery.AckAsync().ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>The deadline of a stored call: when JetStream stored it plus its <c>timeout_s</c>; none for one-way messages.</summary>
    public static DateTimeOffset? Deadline(WorkDelivery delivery, Query query)
        => query.TimeoutSeconds is > 0 and double seconds ? delivery.StoredAt + CallTimeouts.FromPeerSeconds(seconds) : null;

    /// <summary>
    /// When this server gives a stored call up, by its own clock: the call's <see cref="Deadline"/> plus the clock-skew
    /// allowance. It does not start the call later than that, and the handler's token fires then: a server whose clock
    /// runs ahead of JetStream's by less than the allowance neither drops nor cuts short a call its caller still waits for.
    /// </summary>
    public DateTimeOffset? GiveUpAt(WorkDelivery delivery, Query query) => Deadline(delivery, query) + _clockSkewAllowance;

    /// <summary>
    /// Settles <paramref name="delivery"/> after its handler: handed back at once when the server stopped it (another
    /// takes it), recorded as done and acknowledged when it succeeded or was a call (which replied:
    /// <paramref name="reply"/>, kept in the record), else retried after a delay or parked once out of attempts.
    /// </summary>
    public async ValueTask SettleAsync(WorkDelivery delivery, Exception? failure, bool stopped, byte[]? reply)
    {
        if (stopped && failure is OperationCanceledException)
        {
            await delivery.ReleaseAsync(TimeSpan.Zero).ConfigureAwait(false);
            return;
        }

        if (failure is null || !Settings.OneWay)
        {
            if (Records is not null && delivery.RequestId is { } requestId)
            {
                await Records.WriteAsync(Consumer, requestId, Settings.OneWay ? [] : reply ?? []).ConfigureAwait(false);
            }

            await delivery.AckAsync().ConfigureAwait(false);
            return;
        }

        if (delivery.Attempt >= Settings.MaxAttempts)
        {
            (string code, string message) = Describe(failure);
            await ParkAsync(delivery, code, message).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _counters.Retried);
        await delivery.ReleaseAsync(RetryDelay(delivery.Attempt)).ConfigureAwait(false);
    }

    /// <summary>The delay after the <paramref name="attempt"/>-th attempt failed: the first retry delay, doubled for each attempt after the first, at most <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        double ticks = Settings.RetryDelay.Ticks * factor;
        return ticks >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Stores a copy of <paramref name="delivery"/> on the parked subject, with headers that say where it came from and
    /// why, then terminates the original; when the copy cannot be stored, hands the original back for a later try.
    /// </summary>
    private async ValueTask ParkAsync(WorkDelivery delivery, string code, string message)
    {
        NatsHeaders headers = new()
        {
            [ParkedHeaders.Subject] = delivery.Subject,
            [ParkedHeaders.Sequence] = delivery.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ParkedHeaders.Attempts] = delivery.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ParkedHeaders.ErrorCode] = code,
            [ParkedHeaders.Error] = HeaderValue(message),
            [ParkedHeaders.StoredAt] = delivery.StoredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [ParkedHeaders.By] = _identity,
        };
        try
        {
            PubAckResponse ack = await _js.PublishAsync(
                ParkedSubject, delivery.Payload, opts: new NatsJSPubOpts { MsgId = DurableNames.ParkedMessageId(delivery.Sequence) }, headers: headers)
                .ConfigureAwait(false);
            ack.EnsureSuccess();
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            Interlocked.Increment(ref _counters.ParkFailures);
            DurableLog.ParkFailed(Logger, delivery.Subject, delivery.Sequence, ParkedSubject, ex.Message);
            await delivery.ReleaseAsync(MaxRetryDelay).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _counters.Parked);
        DurableLog.Parked(Logger, delivery.Subject, delivery.Sequence, delivery.Attempt, code, ParkedSubject);
        await delivery.TerminateAsync().ConfigureAwait(false);
    }

    private async ValueTask SendRecordedReplyAsync(WorkDelivery delivery, byte[] record)
    {
        try
        {
            await _responder.SendRecordedReplyAsync(delivery.Subject, record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RefusalFailed(Logger, delivery.Subject, ex);
        }
    }

    private async ValueTask ReplyErrorAsync(WorkDelivery delivery, Query query, string code, string message)
    {
        InboundContext context = new(_responder, query, delivery.Subject, replyTo: null, CancellationToken.None);
        try
        {
            await context.ReplyErrorAsync(code, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RefusalFailed(Logger, delivery.Subject, ex);
        }
    }

    /// <summary>A failed handler's error as a parked copy carries it: an <see cref="AnaException"/>'s code and message; another's message only when the bus exposes them.</summary>
    private (string Code, string Message) Describe(Exception failure)
        => failure switch
        {
            AnaException ana => (ana.Code, ana.Message),
            _ when _exposeExceptionMessages => (AnaErrorCodes.Internal, failure.Message),
            _ => (AnaErrorCodes.Internal, $"The handler failed ({failure.GetType().FullName})."),
        };

    /// <summary>A header value: one line, at most <see cref="MaxErrorBytes"/> bytes of UTF-8.</summary>
    private static string HeaderValue(string text)
    {
        StringBuilder line = new(Math.Min(text.Length, MaxErrorBytes));
        int bytes = 0;
        foreach (char c in text)
        {
            char safe = char.IsControl(c) ? ' ' : c;
            int size = Encoding.UTF8.GetByteCount([safe]);
            if (bytes + size > MaxErrorBytes)
            {
                break;
            }

            line.Append(safe);
            bytes += size;
        }

        return line.ToString();
    }
}
