using System.Runtime.CompilerServices;

namespace StreamingWriter;

/// <summary>
/// A fake token generator: it "writes" a short poem about the prompt, one word every few milliseconds. The token is
/// marked <see cref="EnumeratorCancellationAttribute"/>, so that a caller that stops reading stops the writing too.
/// </summary>
public sealed class FakeWriter(TimeSpan pause) : IWriter
{
    private static readonly string[] Lines =
    [
        "subjects fan out like rivers,",
        "a reply finds its inbox home,",
        "{0} travels on the wire,",
        "and the queue group shares the load.",
    ];

    public async IAsyncEnumerable<Token> DraftAsync(string prompt, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int index = 0;
        try
        {
            foreach (string line in Lines)
            {
                foreach (string word in string.Format(System.Globalization.CultureInfo.InvariantCulture, line, prompt).Split(' '))
                {
                    await Task.Delay(pause, cancellationToken);
                    yield return new Token(word, index++);
                }

                yield return new Token("\n", index++);
            }
        }
        finally
        {
            // Runs however the stream ends: at the last token, or when the caller stops reading. (The agent's log goes to stderr.)
            Console.Error.WriteLine(cancellationToken.IsCancellationRequested
                ? $"writer: stopped after {index} tokens: the reader had enough"
                : $"writer: finished, {index} tokens");
        }
    }
}
