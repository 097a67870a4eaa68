namespace Ana.Benchmarks.Wire;

/// <summary>The names the caller and the responder process agree on.</summary>
internal static class BenchSubjects
{
    /// <summary>The ana prefix of the typed paths.</summary>
    public const string Prefix = "bench.ana";

    /// <summary>The raw NATS request/reply subject (the baseline).</summary>
    public const string RawEcho = "bench.raw.echo";

    /// <summary>Answers with the responder process's <c>GC.GetTotalAllocatedBytes</c>, for bytes per call on the server.</summary>
    public const string AllocatedBytes = "bench.ctl.allocated";

    /// <summary>The agent that serves <c>IBench</c> through the generated dispatcher, replying to the caller's inbox.</summary>
    public const string InboxAgent = "bench";

    /// <summary>The agent that answers as the Python package does: on <c>&lt;prefix&gt;.&lt;agent&gt;.reply.&lt;topic&gt;</c>.</summary>
    public const string ReplySubjectAgent = "bench-py";

    /// <summary>The same hand-written responder as <see cref="ReplySubjectAgent"/>, but answering on the caller's inbox.</summary>
    public const string InboxEchoAgent = "bench-inbox";
}
