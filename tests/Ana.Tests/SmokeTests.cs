namespace Ana.Tests;

public class SmokeTests
{
    [Fact]
    public void VectorsAreCopiedBesideTheTests()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "wire", "valid", "query.json")));
    }
}
