using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ana.Testing.Processes;

namespace Ana.Package.Tests;

/// <summary>How a user meets the library: a new console project that references only the Ana.Contracts package.</summary>
[Trait("Category", "Slow")]
public sealed class PackageConsumerTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private const string ConsumerProgram = """
        using Ana;
        using Ana.Contracts;
        using Consumer;

        AgentBusOptions options = new() { Url = "memory://consumer" };
        await using AgentBus server = await AgentBus.ConnectAsync("greeter-1", options);
        await using AgentSubscription serving = await server.ServeAsync<IGreeter>(new Greeter());
        await using AgentBus caller = await AgentBus.ConnectAsync("caller", options);

        IGreeter greeter = caller.Client<IGreeter>();
        Greeting greeting = await greeter.GreetAsync(new Person("Ada", 36));
        Console.WriteLine($"{greeting.Text} | {greeting.Letters} | {string.Join(",", greeting.Tags)}");
        Console.WriteLine($"sum={await greeter.AddAsync(40, 2)}");

        namespace Consumer
        {
            [AnaAgent("greeter")]
            public partial interface IGreeter
            {
                Task<Greeting> GreetAsync(Person person, CancellationToken cancellationToken = default);

                [AnaTopic("add")]
                Task<long> AddAsync(int a, long b);
            }

            public sealed record Person(string Name, int Age);

            public sealed record Greeting(string Text, int Letters, IReadOnlyList<string> Tags);

            internal sealed class Greeter : IGreeter
            {
                public Task<Greeting> GreetAsync(Person person, CancellationToken cancellationToken) =>
                    Task.FromResult(new Greeting($"Hello, {person.Name} ({person.Age})", person.Name.Length, ["typed", "generated"]));

                public Task<long> AddAsync(int a, long b) => Task.FromResult(a + b);
            }
        }
        """;

    [Fact]
    public void Package_holds_the_runtime_for_both_frameworks_and_the_generator()
    {
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        HashSet<string> entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net8.0/Ana.dll", entries);
        Assert.Contains("lib/net10.0/Ana.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Ana.Contracts.Generator.dll", entries);
        Assert.Contains("build/Ana.Contracts.props", entries);
        Assert.Contains("build/Ana.Contracts.targets", entries);
        Assert.Contains("buildTransitive/Ana.Contracts.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.True(File.Exists(Path.ChangeExtension(package.PackagePath, ".snupkg")), "no symbol package next to the package");

        using StreamReader nuspec = new(zip.GetEntry("Ana.Contracts.nuspec")!.Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        Assert.Contains("<repository type=\"git\"", text, StringComparison.Ordinal);
        Assert.Contains("id=\"NATS.Client.Core\"", text, StringComparison.Ordinal);
        Assert.Contains("id=\"Microsoft.Extensions.Logging.Abstractions\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana.Contracts.Generator\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_READMEs_install_section_uses_a_project_nuget_config_and_a_pre_release_per_pack()
    {
        string readme = File.ReadAllText(Path.Combine(SamplePaths.Repository, "README.md"));
        int start = readme.IndexOf("\n## Install\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no \"## Install\" section");
        string install = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];

        // A nuget.config for the project's own folder, mapping Ana.Contracts to the local feed (and nothing else to it).
        Assert.Contains("in your project's folder", install, StringComparison.Ordinal);
        int xml = install.IndexOf("```xml\n<?xml", StringComparison.Ordinal) + "```xml\n".Length;
        XDocument config = XDocument.Parse(install[xml..install.IndexOf("```", xml, StringComparison.Ordinal)]);
        string localKey = config.Descendants("packageSources").Elements("add").Single().Attribute("key")!.Value;
        Assert.Equal(
            ["Ana.Contracts"],
            config.Descendants("packageSource").Where(source => source.Attribute("key")!.Value == localKey).Elements("package").Select(package => package.Attribute("pattern")!.Value));

        // A re-pack gets a version of its own, so a cached 0.1.0 never shadows it.
        Assert.Contains("./build.sh pack --version-suffix", install, StringComparison.Ordinal);
        Assert.Contains("Version=\"0.1.0-*\"", install, StringComparison.Ordinal);
    }

    [Fact]
    public void The_packages_README_has_no_link_that_breaks_on_a_package_page()
    {
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        using StreamReader reader = new(zip.GetEntry("README.md")!.Open());
        string packaged = reader.ReadToEnd();
        string repository = File.ReadAllText(Path.Combine(SamplePaths.Repository, "README.md"));

        string[] targets = [.. Regex.Matches(packaged, @"\]\(([^)\s]+)\)").Select(match => match.Groups[1].Value)];
        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.Matches("^(https?://|mailto:|#)", target));
        Assert.Contains("](https://github.com/ana-contracts/ana-contracts/blob/main/docs/contracts.md)", packaged, StringComparison.Ordinal);

        // Apart from the links, it is the repository's README, byte for byte.
        Assert.Equal(repository.ReplaceLineEndings(), packaged.Replace("](https://github.com/ana-contracts/ana-contracts/blob/main/", "](", StringComparison.Ordinal).ReplaceLineEndings());
    }

    [Fact]
    public async Task New_console_project_referencing_only_the_package_builds_without_warnings_and_calls_its_contract()
    {
        string app = await CreateConsumerAsync("consumer", ConsumerProgram);

        ProcessResult run = await BuildAndRunAsync(app);

        Assert.Contains("Hello, Ada (36) | 3 | typed,generated", run.Output, StringComparison.Ordinal);
        Assert.Contains("sum=42", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_baseline_is_recorded_on_request_and_a_breaking_change_then_fails_the_build_until_accepted()
    {
        const string Shop = """
            Console.WriteLine("ok");

            namespace Shop
            {
                [Ana.Contracts.AnaAgent("shop")]
                public partial interface IShop
                {
                    Task<int> CountAsync(string item);

                    [Ana.Contracts.AnaTopic("price")]
                    Task<decimal> PriceAsync(string item);
                }
            }
            """;
        string app = await CreateConsumerAsync("baselines", Shop);
        string baseline = Path.Combine(app, "Shop.IShop.ana.json");

        ProcessResult record = await BuildAsync(app, "-p:AnaUpdateContractBaselines=true");
        record.EnsureSuccess("the build that records the baseline");
        Assert.Contains("Ana.Contracts: wrote the contract baseline " + baseline, record.Output, StringComparison.Ordinal);
        string recorded = await File.ReadAllTextAsync(baseline);
        Assert.Contains("\"topic\": \"price\"", recorded, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(app, "obj"), "*.AnaBaseline.g.cs", SearchOption.AllDirectories));

        // The topic 'price' removed: deployed callers still send it.
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Shop.Replace("[Ana.Contracts.AnaTopic(\"price\")]", string.Empty, StringComparison.Ordinal)
            .Replace("Task<decimal> PriceAsync(string item);", string.Empty, StringComparison.Ordinal));
        ProcessResult broken = await BuildAsync(app);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("error ANA024: The topic 'price' of contract 'IShop' is gone", broken.Output, StringComparison.Ordinal);

        ProcessResult accepted = await BuildAsync(app, "-p:AnaUpdateContractBaselines=true");
        accepted.EnsureSuccess("the build that accepts the change");
        Assert.DoesNotContain("\"topic\": \"price\"", await File.ReadAllTextAsync(baseline), StringComparison.Ordinal);

        (await BuildAsync(app)).EnsureSuccess("the build after the change was accepted");
    }

    [Fact]
    public async Task The_READMEs_first_contract_runs_as_pasted_with_no_server()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(SamplePaths.Repository, "README.md"));
        int section = readme.IndexOf("\n## A contract\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has no \"## A contract\" section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        string example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        string app = await CreateConsumerAsync("readme-first", example);

        ProcessResult run = await BuildAndRunAsync(app);

        Assert.Equal("hi", run.Output.Trim());
    }

    [Fact]
    public async Task A_host_referencing_the_hosting_package_serves_and_calls_its_contract_and_reports_healthy()
    {
        string app = await CreateConsumerAsync("hosted", HostedProgram, $"""

                <PackageReference Include="Ana.Contracts.Hosting" Version="[{package.Version}]" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.15" />
            """);

        ProcessResult run = await BuildAndRunAsync(app);

        Assert.Equal(["Hello, Ada", "Healthy"], run.Output.Trim().Split('\n', StringSplitOptions.TrimEntries));
        Assert.True(Directory.Exists(Path.Combine(app, "packages", "ana.contracts.hosting", package.Version)), "the hosting package was not restored from the fresh folder");
    }

    private const string HostedProgram = """
        using Ana.Contracts;
        using Consumer;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Diagnostics.HealthChecks;
        using Microsoft.Extensions.Hosting;

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Ana:Url"] = "memory://hosted";
        builder.Services.AddAgentBus("greeter-1").AddServer<IGreeter, Greeter>().AddClient<IGreeter>();
        builder.Services.AddHealthChecks().AddAgentBus();
        using IHost host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(await host.Services.GetRequiredService<IGreeter>().GreetAsync("Ada"));
        Console.WriteLine((await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
        await host.StopAsync();

        namespace Consumer
        {
            [AnaAgent("greeter")]
            public partial interface IGreeter
            {
                Task<string> GreetAsync(string name, CancellationToken cancellationToken = default);
            }

            internal sealed class Greeter : IGreeter
            {
                public Task<string> GreetAsync(string name, CancellationToken cancellationToken) => Task.FromResult($"Hello, {name}");
            }
        }
        """;

    /// <summary>A console project outside the solution that references only the fresh package.</summary>
    private async Task<string> CreateConsumerAsync(string name, string program, string packageReferences = "")
    {
        string app = Path.Combine(package.Root, name);
        Directory.CreateDirectory(app);
        // Empty build files and a nuget.config of its own: nothing of the repository's or the machine's leaks in.
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
        // The package from the fresh feed; its dependencies from the machine's usual sources.
        string machineSources = string.Concat(package.MachineSources.Select(
            (url, i) => $"\n    <add key=\"machine-{i}\" value=\"{System.Security.SecurityElement.Escape(url)}\" />"));
        string machinePatterns = string.Concat(package.MachineSources.Select(
            (_, i) => $"\n    <packageSource key=\"machine-{i}\"><package pattern=\"*\" /></packageSource>"));
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="ana-local" value="{package.Feed}" />{machineSources}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="ana-local">
                  <package pattern="Ana.Contracts" />
                  <package pattern="Ana.Contracts.*" />
                </packageSource>{machinePatterns}
              </packageSourceMapping>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>Consumer</AssemblyName>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EnableTrimAnalyzer>true</EnableTrimAnalyzer>
                <EnableAotAnalyzer>true</EnableAotAnalyzer>
                <!-- A fresh package folder: the package just packed is what gets used, never a cached one. -->
                <RestorePackagesPath>{Path.Combine(app, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Ana.Contracts" Version="[{package.Version}]" />{packageReferences}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    private static Task<ProcessResult> BuildAsync(string app, params string[] extra)
        => DotNet.RunAsync(
            app, PackageFixture.BuildTimeout,
            ["build", "-c", "Release", "-warnaserror", "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo", .. extra]);

    /// <summary>Builds with <c>-warnaserror</c> and runs with no NATS server in reach: what a newcomer's first run has.</summary>
    private async Task<ProcessResult> BuildAndRunAsync(string app)
    {
        ProcessResult build = await DotNet.RunAsync(
            app, PackageFixture.BuildTimeout,
            "build", "-c", "Release", "-warnaserror", "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
        build.EnsureSuccess("dotnet build of the consumer");
        Assert.True(Directory.Exists(Path.Combine(app, "packages", "ana.contracts", package.Version)), "the package was not restored from the fresh folder");

        ProcessResult run = await DotNet.RunAsync(
            app, TimeSpan.FromMinutes(1), Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"));
        run.EnsureSuccess("the consumer");
        return run;
    }
}
