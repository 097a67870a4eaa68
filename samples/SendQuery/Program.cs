// SendQuery: a one-shot probe. Sends one query to an agent, prints its reply and exits:
// 0 with the reply printed, 1 when no reply came in time, 2 on bad arguments, 3 when the server cannot be reached,
// 4 when nobody listens, 5 on an error reply: the exit codes of `ana probe` (docs/cli.md, "Exit codes").
// Without --query, the text sent is the topic, as a generated contract client sends for a typed call.
//   dotnet run --project samples/SendQuery -- --to bob --query "status?"
//       memory:// (the default) has no other process on it: a local stand-in agent answers, to show the round trip
//   dotnet run --project samples/SendQuery -- --nats nats://127.0.0.1:4222 --to echo --topic echo --data '{"text":"hi"}'
using System.Text.Json;
using Ana;

string url = "memory://send-query";
string identity = "send-query";
string? to = null;
string? query = null;
string topic = "default";
string? data = null;
double timeoutSeconds = 5;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--nats" when hasValue: url = args[++i]; break;
        case "--identity" when hasValue: identity = args[++i]; break;
        case "--to" when hasValue: to = args[++i]; break;
        case "--query" when hasValue: query = args[++i]; break;
        case "--topic" when hasValue: topic = args[++i]; break;
        case "--data" when hasValue: data = args[++i]; break;
        case "--timeout" when hasValue && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out timeoutSeconds): i++; break;
        default: return Usage();
    }
}

if (to is null || timeoutSeconds <= 0)
{
    return Usage();
}

JsonElement? payload = null;
if (data is not null)
{
    try
    {
        using JsonDocument document = JsonDocument.Parse(data);
        payload = document.RootElement.Clone();
    }
    catch (JsonException e)
    {
        Console.Error.WriteLine($"--data is not JSON: {e.Message}");
        return 2;
    }
}

AgentBusOptions options = new() { Url = url };
AgentBus bus;
try
{
    bus = await AgentBus.ConnectAsync(identity, options);
}
catch (ArgumentException e)
{
    // An invalid --identity or option: bad arguments, nothing was sent.
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (AnaConnectionException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}

await using AgentBus connected = bus;

// On the in-process broker nothing else can answer: a stand-in for the target echoes the query, so the probe shows its round trip.
await using AgentBus? standIn = url.StartsWith("memory://", StringComparison.Ordinal) ? await AgentBus.ConnectAsync(to, options) : null;
await using AgentSubscription? standInServing = standIn is null ? null : await standIn.SubscribeToMeAsync(async (envelope, context) =>
{
    if (envelope is Query q)
    {
        await context.ReplyAsync(JsonSerializer.SerializeToElement($"{to} (local stand-in) got: {q.Text}", SendQueryJson.Default.String));
    }
});

try
{
    Reply? reply = await bus.QueryAndWaitAsync(to, query ?? topic, topic, TimeSpan.FromSeconds(timeoutSeconds), payload);
    if (reply is null)
    {
        Console.Error.WriteLine($"no reply from {to} within {timeoutSeconds} s");
        return 1;
    }

    if (reply.Error is { } error)
    {
        Console.WriteLine(reply.Data is { } failed ? failed.GetRawText() : "null");
        Console.Error.WriteLine($"{reply.From} answered with error {error.Code}: {error.Message}");
        return 5;
    }

    Console.WriteLine(reply.Data is { } answer ? answer.GetRawText() : "null");
    return 0;
}
catch (AnaNoRespondersException)
{
    Console.Error.WriteLine($"no responders: nobody listens for {to} on {url}");
    return 4;
}

static int Usage()
{
    Console.Error.WriteLine("usage: SendQuery --to AGENT [--query TEXT] [--topic TOPIC] [--data JSON] [--timeout SECONDS] [--identity NAME] [--nats URL]");
    return 2;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SendQueryJson : System.Text.Json.Serialization.JsonSerializerContext;
