namespace Ana.Tests;

public class TargetRuntimeTests
{
    [Fact]
    public void Each_target_framework_runs_on_its_own_runtime()
    {
#if NET10_0
        Assert.Equal(10, Environment.Version.Major);
#elif NET8_0
        Assert.Equal(8, Environment.Version.Major);
#else
        Assert.Fail("The tests target net8.0 and net10.0.");
#endif
        Assert.Equal(Environment.Version.Major, typeof(AgentBus).Assembly.GetReferencedAssemblies().Single(a => a.Name == "System.Runtime").Version!.Major);
    }
}
