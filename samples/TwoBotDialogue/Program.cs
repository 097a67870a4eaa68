// Two bots in one process: bob answers queries, alice asks him three questions.
// Runs on the in-process broker by default; pass --nats nats://127.0.0.1:4222 to use a real server.
using System.Text.Json;
using Ana;

string url = args.Length == 2 && args[0] == "--nats" ? args[1] : "memory://dialogue";
AgentBusOptions options = new() { Url = url };

await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
await using AgentSubscription serving = await bob.SubscribeToMeAsync(async (envelope, context) =>
{
    if (envelope is Query query)
    {
        string answer = query.Text switch
        {
            "status?" => "alive",
            "what time is it?" => DateTimeOffset.UtcNow.ToString("HH:mm:ss"),
            _ => $"you said: {query.Text}",
        };
        await context.ReplyAsync(JsonSerializer.SerializeToElement(answer, DialogueJson.Default.String));
    }
});

await using AgentBus alice = await AgentBus.ConnectAsync("alice", options);
foreach (string question in new[] { "status?", "what time is it?", "hello bob" })
{
    Reply? reply = await alice.QueryAndWaitAsync("bob", question, timeout: TimeSpan.FromSeconds(5));
    Console.WriteLine($"alice -> bob: {question}");
    Console.WriteLine($"bob -> alice: {reply?.Data?.GetString() ?? "(no answer in time)"}");
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class DialogueJson : System.Text.Json.Serialization.JsonSerializerContext;
