namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>The target framework a test compilation is built for.</summary>
public enum TestFramework
{
    Net10,
    Net8,
}
