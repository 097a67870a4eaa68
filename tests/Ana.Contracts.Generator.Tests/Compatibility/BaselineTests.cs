using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Compatibility;

/// <summary>
/// Breaking changes caught at build time (issue 15, section 3): a contract is recorded in its baseline, changed, and
/// compiled again with the baseline as an additional file. One test per rule of docs/diagnostics.md (ANA023–ANA035),
/// each change classified by the side that reads it: arguments by the server, results by the caller.
/// </summary>
public sealed class BaselineTests
{
    private const string BaselinePath = "/src/Demo.IShop.ana.json";

    private const string Shop = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo;

        [AnaAgent("shop")]
        public partial interface IShop
        {
            [AnaTimeout(10)]
            Task<Receipt> OrderAsync(Order order, int quantity, string? note = null);

            Task<Color> PaintAsync(Color color);

            [AnaOneWay]
            Task NotifyAsync(string text);

            Task<Pet> AdoptAsync(Pet pet);
        }

        public sealed record Order(string Item, Size Size, List<string> Tags)
        {
            public string? Gift { get; init; }
        }

        public enum Size { Small, Large }

        public enum Color { Red, Green }

        public sealed record Receipt(string Id, decimal Total, int Count)
        {
            public string? Note { get; init; }
        }

        [JsonDerivedType(typeof(Dog), "dog")]
        [JsonDerivedType(typeof(Cat), "cat")]
        public abstract record Pet
        {
            public string? Name { get; init; }
        }

        public sealed record Dog(bool Barks) : Pet;

        public sealed record Cat(int Lives) : Pet;
        """;

    private static readonly (string, string) Update = ("AnaUpdateContractBaselines", "true");

    private static readonly Lazy<string> ShopBaseline = new(() => Baselines.Record(Shop, "Demo.IShop"));

    [Fact]
    public void An_unchanged_contract_reports_nothing()
        => Assert.Empty(Check(Shop));

    [Fact]
    public void The_baseline_records_each_topic_with_its_kind_timeout_signature_and_schemas()
    {
        string baseline = ShopBaseline.Value;
        Assert.StartsWith("{\n  \"ana_baseline\": 1,\n  \"contract\": \"Demo.IShop\",\n  \"agent\": \"shop\",\n  \"naming_policy\": \"SnakeCaseLower\",\n  \"topics\": [\n", baseline, StringComparison.Ordinal);
        Assert.Contains("\"topic\": \"order\",\n      \"kind\": \"request/reply\",\n      \"timeout_s\": 10,\n      \"signature\": \"Task<Receipt> OrderAsync(Order order, int quantity, string? note = null)\",", baseline, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"one-way\",\n      \"timeout_s\": null,", baseline, StringComparison.Ordinal);
        Assert.DoesNotContain("\"title\"", baseline, StringComparison.Ordinal);
    }

    [Fact]
    public void ANA023_a_contract_without_a_baseline_is_reported_only_when_baselines_are_required()
    {
        Assert.Empty(GeneratorHarness.Run(Shop, []).Diagnostics);
        Diagnostic missing = Assert.Single(GeneratorHarness.Run(Shop, [], ("AnaRequireContractBaselines", "true")).Diagnostics);
        Assert.Equal(("ANA023", DiagnosticSeverity.Warning), (missing.Id, missing.DefaultSeverity));
        Assert.Contains("'Demo.IShop.ana.json'", missing.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ANA024_a_topic_removed()
        => AssertError(Change("""
                [AnaOneWay]
                Task NotifyAsync(string text);
            """, string.Empty), "ANA024", "The topic 'notify' of contract 'IShop' is gone");

    [Fact]
    public void ANA025_one_way_made_request_reply()
        => AssertError(Change("""
                [AnaOneWay]
                Task NotifyAsync(string text);
            """, """
                Task NotifyAsync(string text);
            """), "ANA025", "The topic 'notify' of contract 'IShop' was one-way and is request/completion now");

    [Fact]
    public void ANA026_an_argument_renamed_is_one_removed_and_one_required()
    {
        IReadOnlyList<Diagnostic> diagnostics = Check(Change("Order order, int quantity,", "Order order, int count,"));
        AssertHas(diagnostics, "ANA026", "The argument 'quantity' of topic 'order' is gone");
        AssertHas(diagnostics, "ANA027", "The argument 'count' of topic 'order' is new and has no default");
    }

    [Fact]
    public void ANA027_an_argument_without_a_default()
    {
        AssertError(Change("string? note = null);", "string? note = null, int priority = 0, bool rush);"), "ANA027", "The argument 'rush' of topic 'order' is new and has no default");
        IReadOnlyList<Diagnostic> lostDefault = Check(Change("string? note = null);", "string note);"));
        AssertHas(lostDefault, "ANA027", "The argument 'note' of topic 'order' had a default and has none now");
        AssertHas(lostDefault, "ANA028", "'note' in the arguments of topic 'order' changed incompatibly: null is no longer accepted");
    }

    [Fact]
    public void ANA028_a_type_changed_on_either_side()
    {
        AssertError(Change("Size Size, List<string> Tags)", "Size Size, string Tags)"), "ANA028", "'order.tags' in the arguments of topic 'order' changed incompatibly: it was an array and is a string now");

        // A result the caller reads: an int widened to a long no longer fits the old caller's int.
        AssertError(Change("decimal Total, int Count)", "decimal Total, long Count)"), "ANA028", "'count' in the result of topic 'order' changed incompatibly: it was an integer from -2147483648 to 2147483647 and is an integer from -9223372036854775808 to 9223372036854775807 now");

        // An argument the server reads: widening is fine, narrowing is not.
        Assert.DoesNotContain(Check(Change("Order order, int quantity,", "Order order, long quantity,")), d => d.Severity == DiagnosticSeverity.Error);
        AssertError(Change("Order order, int quantity,", "Order order, short quantity,"), "ANA028", "'quantity' in the arguments of topic 'order' changed incompatibly");
    }

    [Fact]
    public void ANA029_a_member_removed_from_an_argument_or_a_result()
    {
        AssertError(Change("public string? Gift { get; init; }", string.Empty), "ANA029", "The member 'order.gift' in the arguments of topic 'order' is gone (removed or renamed): deployed callers still send it");
        AssertError(Change("public string? Note { get; init; }", string.Empty), "ANA029", "The member 'note' in the result of topic 'order' is gone (removed or renamed): deployed callers still read it");
    }

    [Fact]
    public void ANA030_a_member_made_required_or_new_and_required_in_an_argument()
    {
        AssertError(Change("public string? Gift { get; init; }", "public required string? Gift { get; init; }"), "ANA030", "The member 'order.gift' in the arguments of topic 'order' is required now");
        AssertError(Change("public string? Gift { get; init; }", "public string? Gift { get; init; }\n    public required string Region { get; init; }"), "ANA030", "The member 'order.region' in the arguments of topic 'order' is new and required");

        // In a result, a new member breaks nobody: old callers skip it.
        Assert.DoesNotContain(Check(Change("public string? Note { get; init; }", "public string? Note { get; init; }\n    public required string Clerk { get; init; }")), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void ANA031_an_enum_member_or_a_derived_type_an_argument_no_longer_accepts()
    {
        AssertError(Change("public enum Size { Small, Large }", "public enum Size { Small }"), "ANA031", "'order.size' in the arguments of topic 'order' no longer accepts the member 'large'");
        IReadOnlyList<Diagnostic> catGone = Check(Change("[JsonDerivedType(typeof(Cat), \"cat\")]", string.Empty));
        AssertHas(catGone, "ANA031", "'pet' in the arguments of topic 'adopt' no longer accepts the derived type 'cat'");
    }

    [Fact]
    public void ANA032_a_new_enum_member_or_derived_type_in_a_result()
    {
        IReadOnlyList<Diagnostic> blue = Check(Change("public enum Color { Red, Green }", "public enum Color { Red, Green, Blue }"));
        AssertHas(blue, "ANA032", "'the value' in the result of topic 'paint' may now be the member 'blue', which deployed callers cannot read");
        Assert.DoesNotContain(blue, d => d.Id == "ANA031");

        IReadOnlyList<Diagnostic> bird = Check(Change("[JsonDerivedType(typeof(Cat), \"cat\")]", "[JsonDerivedType(typeof(Cat), \"cat\")]\n[JsonDerivedType(typeof(Bird), \"bird\")]") + "\npublic sealed record Bird(bool Sings) : Pet;");
        AssertHas(bird, "ANA032", "'the value' in the result of topic 'adopt' may now be the derived type 'bird'");
    }

    [Fact]
    public void ANA033_the_naming_policy_changed()
        => AssertError(Change("[AnaAgent(\"shop\")]", "[AnaAgent(\"shop\", NamingPolicy = JsonKnownNamingPolicy.CamelCase)]"), "ANA033", "The naming policy of contract 'IShop' changed from SnakeCaseLower to CamelCase");

    [Fact]
    public void ANA034_compatible_changes_are_listed_in_one_info_and_break_nothing()
    {
        string changed = Change("public enum Size { Small, Large }", "public enum Size { Small, Large, Huge }")
            .Replace("string? note = null);", "string? note = null, bool rush = false);", StringComparison.Ordinal)
            .Replace("public string? Gift { get; init; }", "public string? Gift { get; init; }\n    public string? Wrapping { get; init; }", StringComparison.Ordinal)
            .Replace("[AnaTimeout(10)]", "[AnaTimeout(20)]", StringComparison.Ordinal)
            .Replace("Task<Pet> AdoptAsync(Pet pet);", "Task<Pet> AdoptAsync(Pet pet);\n\n    Task<int> CountAsync();", StringComparison.Ordinal);

        Diagnostic info = Assert.Single(Check(changed));
        Assert.Equal(("ANA034", DiagnosticSeverity.Info), (info.Id, info.Severity));
        string message = info.GetMessage();
        Assert.Contains("timeout of 'order' changed from 10 s to 20 s", message, StringComparison.Ordinal);
        Assert.Contains("optional argument 'rush' added to 'order'", message, StringComparison.Ordinal);
        Assert.Contains("member 'order.wrapping' added to the arguments of 'order'", message, StringComparison.Ordinal);
        Assert.Contains("the member 'huge' added to 'order.size' in the arguments of 'order'", message, StringComparison.Ordinal);
        Assert.Contains("topic 'count' added", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANA035_a_baseline_that_cannot_be_read_is_reported_and_not_compared()
    {
        Diagnostic broken = Assert.Single(GeneratorHarness.Run(Shop, [(BaselinePath, "{\"ana_baseline\": 1, \"topics\": [")]).Diagnostics);
        Assert.Equal(("ANA035", DiagnosticSeverity.Warning), (broken.Id, broken.DefaultSeverity));
        Assert.Contains("cannot be read (a value was expected at line 1, column 32)", broken.GetMessage(), StringComparison.Ordinal);

        Diagnostic future = Assert.Single(GeneratorHarness.Run(Shop, [(BaselinePath, "{\"ana_baseline\": 2}")]).Diagnostics);
        Assert.Contains("it is no baseline of format 1", future.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Updating_accepts_the_changes_and_emits_the_new_baseline_for_the_build_to_write()
    {
        string changed = Change("""
                [AnaOneWay]
                Task NotifyAsync(string text);
            """, string.Empty);
        GeneratorRun run = GeneratorHarness.Run(changed, [(BaselinePath, ShopBaseline.Value)], Update);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompilationProblems());
        string source = run.Source("Demo.IShop.AnaBaseline.g.cs");
        Assert.Contains("// ana-baseline-file: " + BaselinePath + "\n#if ANA_CONTRACT_BASELINE\n{\n", source.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        string updated = Baselines.Record(changed, "Demo.IShop");
        Assert.DoesNotContain("\"topic\": \"notify\"", updated, StringComparison.Ordinal);
        Assert.Empty(Check(changed, updated));
    }

    private static string Change(string from, string to)
    {
        string changed = Shop.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Shop, changed);
        return changed;
    }

    private static IReadOnlyList<Diagnostic> Check(string source, string? baseline = null)
        => GeneratorHarness.Run(source, [(BaselinePath, baseline ?? ShopBaseline.Value)]).Diagnostics;

    private static void AssertError(string source, string id, string message)
        => AssertHas(Check(source), id, message);

    private static void AssertHas(IReadOnlyList<Diagnostic> diagnostics, string id, string message)
    {
        Diagnostic? found = diagnostics.FirstOrDefault(d => d.Id == id && d.GetMessage().Contains(message, StringComparison.Ordinal));
        Assert.True(found is not null, $"no {id} saying \"{message}\" in:\n{string.Join("\n", diagnostics.Select(d => $"{d.Id}: {d.GetMessage()}"))}");
        Assert.Equal(id == "ANA034" ? DiagnosticSeverity.Info : DiagnosticSeverity.Error, found.Severity);
        Assert.Equal(GeneratorHarness.ConsumerFile, found.Location.GetLineSpan().Path);
    }
}
