using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Ana.Tests.Envelopes;

/// <summary>
/// The hand-written writer of queries and replies against the serializer, which wrote them before: for any fields, the
/// same bytes, so that writing the <c>data</c> in place changes nothing on the wire.
/// </summary>
public sealed class HotEnvelopeWriterTests
{
    private static readonly string[] Texts = ["bob", "cc.fleet.bob.query.status", "x\"y\\z", "é 日本 🎉", "<script>&'", "", "tab\tnew\nline"];
    private static readonly string[] Datas = ["{\"x\":[1,{\"y\":null}]}", "[1,2.5e3]", "\"text é\"", "3", "null", "true", "{\"a\":\"<&>\"}"];

    private static readonly Gen<EnvelopeStamp> Stamps =
        Gen.Select(Gen.Int[0, Texts.Length - 1], Gen.Long[TimeSpan.TicksPerDay, 3_000_000_000_000_000_000], Gen.Int[-14 * 60, 14 * 60], Gen.Double[0, 1e7], Gen.Int[0, Texts.Length - 1])
            .Select((from, ticks, offsetMinutes, uptime, host) => new EnvelopeStamp(
                Texts[from],
                new DateTimeOffset(ticks, TimeSpan.Zero),
                new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes)),
                Math.Round(uptime, 3),
                Texts[host]));

    private static readonly Gen<string?> OptionalTexts = Gen.Int[-1, Texts.Length - 1].Select(i => i < 0 ? null : Texts[i]);

    private static readonly Gen<JsonElement?> Data = Gen.Int[-1, Datas.Length - 1]
        .Select(i => i < 0 ? (JsonElement?)null : JsonDocument.Parse(Datas[i]).RootElement.Clone());

    private static readonly Gen<QueryExtras> Extras = Gen.Select(Gen.Int[-100, 1000], Gen.Int[-1, 1], Gen.Double[-5, 100])
        .Select((window, progress, heartbeat) => new QueryExtras(
            window < 1 ? null : window,
            progress < 0 ? null : progress == 1,
            heartbeat <= 0 ? null : heartbeat));

    [Fact]
    public void Queries_are_written_as_the_serializer_writes_them()
        => Gen.Select(Stamps, Gen.Int[0, Texts.Length - 1], Gen.Int[0, Texts.Length - 1], OptionalTexts.Array[0, 3].Select(a => a.Length == 0 ? null : a), OptionalTexts, Data, Gen.Double[0, 1e6].Select(d => d < 1e5 ? (double?)null : d), Extras)
            .Sample((stamp, to, text, fields, requestId, data, timeout, extras) =>
            {
                IReadOnlyList<string>? fieldList = fields?.Select(f => f ?? "null").ToArray();
                Query query = new(Origin(stamp))
                {
                    To = Texts[to],
                    Text = Texts[text],
                    Fields = fieldList,
                    RequestId = requestId,
                    Data = data,
                    TimeoutSeconds = timeout,
                    StreamWindow = extras.StreamWindow,
                    Progress = extras.Progress,
                    HeartbeatSeconds = extras.HeartbeatSeconds,
                };
                ArrayBufferWriter<byte> written = new();
                HotEnvelopeWriter.WriteQuery(written, stamp, Texts[to], Texts[text], fieldList, requestId, CallData.Of(data), timeout, extras);
                Assert.Equal(EnvelopeSerializer.Serialize(query), Encoding.UTF8.GetString(written.WrittenSpan));
            }, iter: 5_000);

    [Fact]
    public void Replies_are_written_as_the_serializer_writes_them()
        => Gen.Select(Stamps, Gen.Int[0, Texts.Length - 1], OptionalTexts, Data, Gen.Int[-1, Texts.Length - 1], Gen.Long[-3, long.MaxValue].Select(n => n < 1 ? (long?)null : n), Gen.Int[-1, 1].Select(e => e < 0 ? (bool?)null : e == 1))
            .Sample((stamp, replyFor, requestId, data, errorIndex, sequence, end) =>
            {
                ReplyError? error = errorIndex < 0 ? null : new ReplyError
                {
                    Code = "internal",
                    Message = Texts[errorIndex],
                    Origin = errorIndex % 2 == 0 ? null : new ErrorOrigin { Agent = Texts[errorIndex], Topic = requestId, RequestId = "r" },
                    Via = errorIndex % 3 == 0 ? null : [new ErrorOrigin { Agent = "bob" }, null, new ErrorOrigin()],
                };
                Reply reply = new(Origin(stamp))
                {
                    ReplyFor = Texts[replyFor],
                    RequestId = requestId,
                    Data = error is null ? data : null,
                    Error = error,
                    Sequence = sequence,
                    End = end,
                };
                ArrayBufferWriter<byte> written = new();
                HotEnvelopeWriter.WriteReply(written, stamp, Texts[replyFor], requestId, error is null ? CallData.Of(data) : CallData.None, error, sequence, end);
                Assert.Equal(EnvelopeSerializer.Serialize(reply), Encoding.UTF8.GetString(written.WrittenSpan));
            }, iter: 5_000);

    [Fact]
    public void Stream_items_are_written_as_the_serializer_writes_a_reply_without_clock_or_host()
        => Gen.Select(Stamps, Gen.Int[0, Texts.Length - 1], OptionalTexts, Data, Gen.Long[1, long.MaxValue])
            .Sample((stamp, replyFor, requestId, data, sequence) =>
            {
                Reply item = new()
                {
                    From = stamp.From,
                    Ts = stamp.Ts,
                    ReplyFor = Texts[replyFor],
                    RequestId = requestId,
                    Data = data,
                    Sequence = sequence,
                };
                ArrayBufferWriter<byte> written = new();
                HotEnvelopeWriter.WriteStreamItem(written, stamp.From, stamp.Ts, Texts[replyFor], requestId, CallData.Of(data), sequence);
                Assert.Equal(EnvelopeSerializer.Serialize(item), Encoding.UTF8.GetString(written.WrittenSpan));
            }, iter: 5_000);

    [Fact]
    public void A_typed_result_is_written_as_its_document_would_be()
    {
        EnvelopeStamp stamp = new("bob", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1.5, "host");
        ArrayBufferWriter<byte> typed = new();
        ArrayBufferWriter<byte> document = new();
        HotEnvelopeWriter.WriteReply(typed, stamp, "s", "r", new ResultData<string>("é <b>", TestJson.Default.String), error: null);
        HotEnvelopeWriter.WriteReply(document, stamp, "s", "r", CallData.Of(JsonSerializer.SerializeToElement("é <b>", TestJson.Default.String)), error: null);
        Assert.Equal(Encoding.UTF8.GetString(document.WrittenSpan), Encoding.UTF8.GetString(typed.WrittenSpan));
        Assert.Contains("\"data\":\"é <b>\"", Encoding.UTF8.GetString(typed.WrittenSpan), StringComparison.Ordinal);
    }

    private static EnvelopeOrigin Origin(EnvelopeStamp stamp)
        => new(stamp.From, stamp.Ts, new EnvelopeClock { LocalTime = stamp.LocalTime, UptimeSeconds = stamp.UptimeSeconds }, stamp.Host);
}
