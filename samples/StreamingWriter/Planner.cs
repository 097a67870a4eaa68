namespace StreamingWriter;

/// <summary>A planner that takes its time over each step and reports it as soon as it is decided.</summary>
public sealed class Planner(TimeSpan pause) : IPlanner
{
    private static readonly string[] Steps = ["gather the requirements", "sketch the contracts", "write the agents", "stream the results", "ship it"];

    public async Task<Plan> PlanAsync(string goal, IProgress<PlanStep> progress, CancellationToken cancellationToken = default)
    {
        List<string> decided = [];
        for (int i = 0; i < Steps.Length; i++)
        {
            await Task.Delay(pause, cancellationToken);
            decided.Add(Steps[i]);
            progress.Report(new PlanStep(i + 1, Steps.Length, Steps[i]));
        }

        return new Plan(goal, decided);
    }
}
