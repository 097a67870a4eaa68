// Two bots in one process: bob serves the IBob contract, alice calls it with three questions.
// Runs on the in-process broker by default; pass --nats nats://127.0.0.1:4222 to use a real server.
using Ana;
using TwoBotDialogue;

string url = args.Length == 2 && args[0] == "--nats" ? args[1] : "memory://dialogue";
AgentBusOptions options = new() { Url = url };

await using AgentBus bob = await AgentBus.ConnectAsync("bob", options);
await using AgentSubscription serving = await bob.ServeAsync<IBob>(new Bob());

await using AgentBus alice = await AgentBus.ConnectAsync("alice", options);
IBob client = alice.Client<IBob>();
foreach (string question in new[] { "status?", "what time is it?", "hello bob" })
{
    Answer answer = await client.AskAsync(new Question(question));
    Console.WriteLine($"alice -> bob: {question}");
    Console.WriteLine($"bob -> alice: {answer.Text}");
}

namespace TwoBotDialogue
{
    /// <summary>Bob's contract: one topic, "ask".</summary>
    [Ana.Contracts.AnaAgent("bob")]
    public partial interface IBob
    {
        Task<Answer> AskAsync(Question question, CancellationToken cancellationToken = default);
    }

    public sealed record Question(string Text);

    public sealed record Answer(string Text);

    internal sealed class Bob : IBob
    {
        public Task<Answer> AskAsync(Question question, CancellationToken cancellationToken) =>
            Task.FromResult(new Answer(question.Text switch
            {
                "status?" => "alive",
                "what time is it?" => DateTimeOffset.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                _ => $"you said: {question.Text}",
            }));
    }
}
