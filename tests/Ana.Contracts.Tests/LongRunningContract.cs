namespace Ana.Contracts.Tests;

public sealed record PlanStep(int Index, string Text);

[AnaAgent("long-planner")]
public partial interface ILongPlanner
{
    /// <summary>Plans in <paramref name="steps"/> steps, reporting each as it goes.</summary>
    [AnaTimeout(60)]
    Task<string[]> PlanAsync(string goal, int steps, IProgress<PlanStep> progress, CancellationToken ct = default);

    /// <summary>Works for <paramref name="milliseconds"/>, saying nothing but the heartbeats its agent sends.</summary>
    [AnaHeartbeat(3), AnaTimeout(600)]
    Task<int> WorkAsync(int milliseconds, CancellationToken ct = default);

    /// <summary>Reports faster than any network takes them, then answers.</summary>
    Task<int> FloodAsync(int reports, IProgress<int>? progress);
}

public sealed class LongPlanner : ILongPlanner
{
    public async Task<string[]> PlanAsync(string goal, int steps, IProgress<PlanStep> progress, CancellationToken ct = default)
    {
        List<string> plan = [];
        for (int i = 1; i <= steps; i++)
        {
            await Task.Yield();
            string step = $"{goal}: step {i}";
            plan.Add(step);
            progress.Report(new PlanStep(i, step));
        }

        return [.. plan];
    }

    public async Task<int> WorkAsync(int milliseconds, CancellationToken ct = default)
    {
        await Task.Delay(milliseconds, ct);
        return milliseconds;
    }

    public Task<int> FloodAsync(int reports, IProgress<int>? progress)
    {
        for (int i = 1; i <= reports; i++)
        {
            progress?.Report(i);
        }

        return Task.FromResult(reports);
    }
}
