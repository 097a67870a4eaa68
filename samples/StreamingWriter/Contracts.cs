using Ana.Contracts;

namespace StreamingWriter;

/// <summary>A writer agent that streams its draft token by token, as a language model does.</summary>
[AnaAgent("writer")]
public partial interface IWriter
{
    /// <summary>The draft for <paramref name="prompt"/>, one token at a time; topic <c>draft</c>.</summary>
    [AnaStreamWindow(8), AnaTimeout(120)]
    IAsyncEnumerable<Token> DraftAsync(string prompt, CancellationToken cancellationToken = default);
}

/// <summary>A planner agent that works for a while and says how far it got.</summary>
[AnaAgent("planner"), AnaHeartbeat(5)]
public partial interface IPlanner
{
    /// <summary>A plan for <paramref name="goal"/>, each step reported as it is decided; topic <c>plan</c>.</summary>
    [AnaTimeout(600)]
    Task<Plan> PlanAsync(string goal, IProgress<PlanStep> progress, CancellationToken cancellationToken = default);
}

public sealed record Token(string Text, int Index);

public sealed record PlanStep(int Number, int Of, string Text);

public sealed record Plan(string Goal, IReadOnlyList<string> Steps);
