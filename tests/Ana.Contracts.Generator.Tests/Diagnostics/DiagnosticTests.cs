using System.Globalization;
using System.Text.RegularExpressions;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Ana.Contracts.Generator.Tests.Diagnostics;

/// <summary>
/// Every diagnostic of the catalogue (docs/diagnostics.md): a small contract that triggers it, and the ID, the
/// message (which names the symbol) and the location (the marked syntax, as a span and as line/column) it is reported with.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        """;

    [Fact]
    public void ANA001_contract_not_partial() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public interface [|IFoo|]
        {
            Task PingAsync();
        }
        """,
        "ANA001",
        "The contract interface 'IFoo' must be declared partial");

    [Theory]
    [InlineData("\"bad.name\"", "bad.name", "it contains '.' at position 3, which would split it into several subject tokens")]
    [InlineData("\"\"", "", "it is empty")]
    [InlineData("\"fleet*\"", "fleet*", "it contains the wildcard '*' at position 5")]
    [InlineData("\"two words\"", "two words", "it contains whitespace or a control character at position 3")]
    [InlineData("null", "null", "it is null")]
    public void ANA002_invalid_agent_name(string argument, string shown, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent([|{{argument}}|])]
        public partial interface IFoo
        {
            Task PingAsync();
        }
        """,
        "ANA002",
        $"The agent name '{shown}' of contract 'IFoo' is not valid: {reason}");

    [Theory]
    [InlineData("a..b", "it has an empty token at position 2")]
    [InlineData("a.", "it ends with '.', leaving an empty token")]
    [InlineData("", "it is empty")]
    [InlineData("x>", "it contains the wildcard '>' at position 1")]
    public void ANA003_invalid_topic(string topic, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaTopic([|"{{topic}}"|])]
            Task PingAsync();
        }
        """,
        "ANA003",
        $"The topic '{topic}' of method 'IFoo.PingAsync' is not valid: {reason}");

    [Fact]
    public void ANA014_agent_name_too_long() => AssertDiagnostic(
        $$"""
        [AnaAgent([|"{{new string('a', 129)}}"|])]
        public partial interface IFoo
        {
            Task PingAsync();
        }
        """,
        "ANA014",
        $"The agent name '{new string('a', 64)}…' of 'IFoo' is 129 bytes long in UTF-8; an agent name is at most 128 bytes");

    [Theory]
    [InlineData(1025, 1025)]
    [InlineData(600, 1200)] // 'é' is two bytes in UTF-8
    public void ANA014_topic_too_long(int length, int bytes)
    {
        string topic = new(bytes == length ? 't' : 'é', length);
        AssertDiagnostic(
            $$"""
            [AnaAgent("a")]
            public partial interface IFoo
            {
                [AnaTopic([|"{{topic}}"|])]
                Task PingAsync();
            }
            """,
            "ANA014",
            $"The topic '{topic[..64]}…' of 'IFoo.PingAsync' is {bytes} bytes long in UTF-8; a topic is at most 1024 bytes");
    }

    [Fact]
    public void ANA015_default_lost_when_absent_in_a_generic_DTO()
    {
        Markup markup = Markup.Parse(Usings + """
            public sealed class Page<T>
            {
                public IReadOnlyList<T> Items { get; init; } = [];

                public int Size { get; init; } = 50;

                public int Total { get; init; }

                public string Label { get; set; } = "page";
            }

            public sealed class Plain
            {
                public int Size { get; init; } = 50;
            }

            [AnaAgent("a")]
            public partial interface IFoo
            {
                Task<Plain> MAsync([|Page<int>|] page);
            }
            """);
        GeneratorRun run = GeneratorHarness.Run(markup.Source);

        // A warning per init member with an initializer (not Total, which has none; not Label, which has a setter); the
        // non-generic Plain keeps its default through an [UnsafeAccessor] setter and is not reported. The code compiles.
        Diagnostic[] diagnostics = run.Diagnostics.OrderBy(d => d.GetMessage(CultureInfo.InvariantCulture), StringComparer.Ordinal).ToArray();
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(("ANA015", DiagnosticSeverity.Warning, markup.Span), (d.Id, d.DefaultSeverity, d.Location.SourceSpan)));
        Assert.StartsWith("The default of 'Page<int>.Items' (used by 'IFoo.MAsync', member path ", diagnostics[0].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.StartsWith("The default of 'Page<int>.Size' (used by 'IFoo.MAsync', member path ", diagnostics[1].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.CompilationProblems().Where(d => d.Id != "ANA015"));
    }

    [Fact]
    public void An_agent_name_and_a_topic_at_their_caps_are_accepted()
    {
        string source = Usings + $$"""
            [AnaAgent("{{new string('a', 128)}}")]
            public partial interface IFoo
            {
                [AnaTopic("{{new string('t', 1024)}}")]
                Task PingAsync();
            }
            """;
        Assert.DoesNotContain(GeneratorHarness.Run(source).Diagnostics, d => d.Id.StartsWith("ANA", StringComparison.Ordinal));
    }

    [Fact]
    public void ANA004_duplicate_topic_from_attribute() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task PingAsync();

            [AnaTopic([|"ping"|])]
            Task OtherAsync();
        }
        """,
        "ANA004",
        "The methods 'IFoo.PingAsync()' and 'IFoo.OtherAsync()' both map to the topic 'ping'; give one a topic of its own with [AnaTopic(\"...\")]");

    [Fact]
    public void ANA004_duplicate_topic_from_names() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task<int> GetCount();

            Task<int> [|GetCountAsync|](CancellationToken ct);
        }
        """,
        "ANA004",
        "The methods 'IFoo.GetCount()' and 'IFoo.GetCountAsync(CancellationToken ct)' both map to the topic 'get_count'; give one a topic of its own with [AnaTopic(\"...\")]");

    [Fact]
    public void ANA004_names_both_overloads_by_their_signatures() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task SendAsync(string topic);

            Task [|SendAsync|](string topic, int? times);
        }
        """,
        "ANA004",
        "The methods 'IFoo.SendAsync(string topic)' and 'IFoo.SendAsync(string topic, int? times)' both map to the topic 'send'; give one a topic of its own with [AnaTopic(\"...\")]");

    [Theory]
    [InlineData("int", "int")]
    [InlineData("void", "void")]
    [InlineData("IEnumerable<int>", "IEnumerable<int>")]
    [InlineData("Task<int>[]", "Task<int>[]")]
    public void ANA005_unsupported_return_type(string returnType, string shown) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [|{{returnType}}|] Count();
        }
        """,
        "ANA005",
        $"The method 'IFoo.Count' returns '{shown}'; a contract method returns Task, Task<T>, ValueTask, ValueTask<T> or IAsyncEnumerable<T>");

    [Theory]
    [InlineData("ref int x", "x", "it is passed by reference ('ref'); arguments travel by value")]
    [InlineData("out int x", "x", "it is an 'out' parameter; results travel in the return value")]
    [InlineData("in int x", "x", "it is passed by reference ('in'); arguments travel by value")]
    [InlineData("Span<byte> x", "x", "its type 'Span<byte>' is a ref struct, which cannot cross an await")]
    public void ANA006_unsupported_parameter(string parameter, string name, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task MAsync(int ok, [|{{parameter}}|]);
        }
        """,
        "ANA006",
        $"The parameter '{name}' of method 'IFoo.MAsync' is not supported: {reason}");

    [Fact]
    public void ANA006_parameter_after_the_token() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task MAsync(CancellationToken ct, [|int late|]);
        }
        """,
        "ANA006",
        "The parameter 'late' of method 'IFoo.MAsync' is not supported: it comes after the CancellationToken 'ct', which must be the last parameter");

    [Fact]
    public void ANA006_second_token() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task MAsync(CancellationToken ct, [|CancellationToken other|]);
        }
        """,
        "ANA006",
        "The parameter 'other' of method 'IFoo.MAsync' is not supported: the method already takes the CancellationToken 'ct'; a method takes at most one");

    [Fact]
    public void ANA006_pointer() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public unsafe partial interface IFoo
        {
            Task MAsync([|int* p|]);
        }
        """,
        "ANA006",
        "The parameter 'p' of method 'IFoo.MAsync' is not supported: it is a pointer");

    [Fact]
    public void ANA006_two_parameters_with_one_key() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task MAsync(int userId, [|int user_id|]);
        }
        """,
        "ANA006",
        "The parameter 'user_id' of method 'IFoo.MAsync' is not supported: its JSON key 'user_id' is already the key of parameter 'userId'");

    [JsonPartFact]
    public void ANA007_type_not_serializable()
    {
        // The JSON part words the reason; the message names the type and the method that uses it.
        Diagnostic diagnostic = AssertDiagnostic(
            """
            [AnaAgent("a")]
            public partial interface IFoo
            {
                Task MAsync([|Action|] callback);
            }
            """,
            "ANA007",
            expectedMessage: null);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("The type '", message, StringComparison.Ordinal);
        Assert.Contains("Action", message, StringComparison.Ordinal);
        Assert.Contains("IFoo.MAsync", message, StringComparison.Ordinal);
    }

    [JsonPartFact]
    public void ANA007_stream_item_type_not_serializable()
    {
        // A streamed method's items cross the wire one by one: their type is a root of the JSON context like a result.
        Diagnostic diagnostic = AssertDiagnostic(
            """
            [AnaAgent("a")]
            public partial interface IFoo
            {
                [|System.Collections.Generic.IAsyncEnumerable<Action>|] TicksAsync();
            }
            """,
            "ANA007",
            expectedMessage: null);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("The type 'System.Action' used by 'IFoo.TicksAsync' cannot be serialized", message, StringComparison.Ordinal);
    }

    [JsonPartFact]
    public void ANA007_progress_report_type_not_serializable()
    {
        // Progress reports cross the wire in acks: their type is a root of the JSON context, though the parameter is not an argument.
        Diagnostic diagnostic = AssertDiagnostic(
            """
            [AnaAgent("a")]
            public partial interface IFoo
            {
                Task<int> PlanAsync(string goal, [|IProgress<Action>|] progress);
            }
            """,
            "ANA007",
            expectedMessage: null);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("The type 'System.Action' used by 'IFoo.PlanAsync' cannot be serialized", message, StringComparison.Ordinal);
    }

    [JsonPartFact]
    public void ANA016_discriminator_clashes_with_a_property() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task MAsync([|Shape|] shape);
        }

        [System.Text.Json.Serialization.JsonPolymorphic(TypeDiscriminatorPropertyName = "shape_kind")]
        [System.Text.Json.Serialization.JsonDerivedType(typeof(Circle), "circle")]
        public abstract class Shape
        {
            public string Name { get; set; } = "";
        }

        public sealed class Circle : Shape
        {
            public string ShapeKind { get; set; } = "";
        }
        """,
        "ANA016",
        "The type discriminator 'shape_kind' of the polymorphic type 'Shape' used by 'IFoo.MAsync' is also the JSON name of the property 'ShapeKind' of 'Circle'; rename one of them");

    [Fact]
    public void ANA008_generic_method() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task<T> EchoAsync[|<T>|](T value);
        }
        """,
        "ANA008",
        "The method 'IFoo.EchoAsync' is generic; contract methods cannot have type parameters");

    [Theory]
    [InlineData("int [|Count|] { get; }", "IFoo.Count")]
    [InlineData("event EventHandler [|Changed|];", "IFoo.Changed")]
    [InlineData("int [|this|][int index] { get; }", "IFoo.this[]")]
    public void ANA009_property_event_or_indexer(string member, string name) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task PingAsync();

            {{member}}
        }
        """,
        "ANA009",
        $"The member '{name}' is not a method; a contract declares only methods");

    [Theory]
    [InlineData("public class Outer", "public", "Outer.IFoo", "it is nested in 'Outer', which is not partial")]
    [InlineData("public partial class Outer<T>", "public", "Outer<T>.IFoo", "it is nested in 'Outer<T>', which is generic")]
    [InlineData("public partial class Outer", "private", "Outer.IFoo", "it is private; a contract must be internal or public for its registration to run when the program starts")]
    [InlineData("public partial class Outer", "protected", "Outer.IFoo", "it is protected; a contract must be internal or public for its registration to run when the program starts")]
    public void ANA010_nested_where_code_cannot_go(string outer, string accessibility, string name, string reason) => AssertDiagnostic(
        $$"""
        {{outer}}
        {
            [AnaAgent("a")]
            {{accessibility}} partial interface [|IFoo|]
            {
                Task PingAsync();
            }
        }
        """,
        "ANA010",
        $"The contract '{name}' cannot be generated: {reason}");

    [Fact]
    public void ANA010_generic_contract() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface [|IFoo|]<T>
        {
            Task PingAsync();
        }
        """,
        "ANA010",
        "The contract 'IFoo<T>' cannot be generated: it is generic; a contract has no type parameters");

    [Theory]
    [InlineData("Task<int>", "Task<int>")]
    [InlineData("ValueTask<string>", "ValueTask<string>")]
    public void ANA011_one_way_returns_a_value(string returnType, string _) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaOneWay]
            [|{{returnType}}|] NotifyAsync(string note);
        }
        """,
        "ANA011",
        "The one-way method 'IFoo.NotifyAsync' returns a value; a one-way method returns Task or ValueTask");

    [Fact]
    public void ANA018_one_way_stream() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaOneWay]
            [|System.Collections.Generic.IAsyncEnumerable<int>|] TicksAsync();
        }
        """,
        "ANA018",
        "The method 'IFoo.TicksAsync' streams its results (IAsyncEnumerable<T>) and cannot be one-way: a stream is read by its caller");

    [Theory]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<int>", "0", "it must be at least 1 item")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<int>", "-4", "it must be at least 1 item")]
    [InlineData("Task<int>", "8", "the method does not stream its results (it does not return IAsyncEnumerable<T>)")]
    public void ANA019_invalid_stream_window(string returnType, string items, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaStreamWindow([|{{items}}|])]
            {{returnType}} TicksAsync();
        }
        """,
        "ANA019",
        $"The stream window {items} of 'IFoo.TicksAsync' is not valid: {reason}");

    [Fact]
    public void ANA020_two_progress_parameters() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        public partial interface IFoo
        {
            Task<int> PlanAsync(System.IProgress<int> steps, [|System.IProgress<string> notes|]);
        }
        """,
        "ANA020",
        "The method 'IFoo.PlanAsync' takes more than one IProgress<T> parameter ('steps' and 'notes'); a method reports its progress through one");

    [Theory]
    [InlineData("[AnaOneWay] Task", "it is one-way: nothing waits for its reply")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable<int>", "it streams its results")]
    public void ANA021_progress_without_one_reply(string returnType, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            {{returnType}} RunAsync(string job, [|System.IProgress<int> progress|]);
        }
        """,
        "ANA021",
        $"The method 'IFoo.RunAsync' takes the IProgress<T> parameter 'progress' but {reason}; progress reaches a caller that waits for one reply");

    [Theory]
    [InlineData("Task<int>", "0", "0.0", "it must be greater than zero")]
    [InlineData("Task<int>", "1e300", "1E+300", "it is longer than 24 days (2,073,600 s), the longest deadline")]
    [InlineData("[AnaOneWay] Task", "5", "5.0", "the method is one-way: nothing waits for its answer")]
    public void ANA022_invalid_heartbeat(string returnType, string seconds, string shown, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaHeartbeat([|{{seconds}}|])]
            {{returnType}} RunAsync();
        }
        """,
        "ANA022",
        $"The heartbeat {shown} of 'IFoo.RunAsync' is not valid: {reason}");

    [Theory]
    [InlineData("[|AnaDurable|]", "IAsyncEnumerable<int>", "", "it streams its results (IAsyncEnumerable<T>), and a stored call has one reply")]
    [InlineData("[|AnaDurable|], AnaHeartbeat(5)", "Task<int>", "", "it has [AnaHeartbeat], and heartbeats go to the caller's inbox, which a stored call does not carry")]
    [InlineData("AnaDurable(MaxAttempts = [|0|])", "Task", "", "MaxAttempts is 0; it must be at least 1")]
    [InlineData("AnaDurable(RetryDelaySeconds = [|0|])", "Task", "", "RetryDelaySeconds is 0.0; it must be greater than 0 and at most 60")]
    [InlineData("AnaDurable(RetryDelaySeconds = [|61|])", "Task", "", "RetryDelaySeconds is 61.0; it must be greater than 0 and at most 60")]
    [InlineData("AnaDurable", "Task<int>", "[|IProgress<int>|] progress", "it reports progress through 'progress', and a stored call has one reply, published on the agent's reply subject")]
    public void ANA036_invalid_durable(string attributes, string returnType, string parameters, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [{{attributes}}]
            {{returnType}} RunAsync({{parameters}});
        }
        """,
        "ANA036",
        $"The method 'IFoo.RunAsync' cannot be durable as declared: {reason}");

    [Fact]
    public void A_contract_heartbeat_does_not_apply_to_its_durable_methods()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [AnaAgent("a"), AnaHeartbeat(5)]
            public partial interface IFoo
            {
                [AnaDurable]
                Task<int> RunAsync();
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain("Heartbeat", run.Sources.Single(s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "0.0", "it must be greater than zero")]
    [InlineData("-1.5", "-1.5", "it must be greater than zero")]
    [InlineData("double.NaN", "NaN", "it is not a finite number of seconds")]
    [InlineData("double.PositiveInfinity", "Infinity", "it is not a finite number of seconds")]
    [InlineData("1e300", "1E+300", "it is longer than 24 days (2,073,600 s), the longest timeout")]
    [InlineData("5000000", "5000000.0", "it is longer than 24 days (2,073,600 s), the longest timeout")]
    [InlineData("0.0005", "0.0005", "it is shorter than 1 millisecond, the shortest timeout")]
    public void ANA012_invalid_method_timeout(string seconds, string shown, string reason) => AssertDiagnostic(
        $$"""
        [AnaAgent("a")]
        public partial interface IFoo
        {
            [AnaTimeout([|{{seconds}}|])]
            Task PingAsync();
        }
        """,
        "ANA012",
        $"The timeout {shown} of 'IFoo.PingAsync' is not valid: {reason}");

    [Fact]
    public void ANA012_invalid_contract_timeout() => AssertDiagnostic(
        """
        [AnaAgent("a")]
        [AnaTimeout([|-2|])]
        public partial interface IFoo
        {
            Task PingAsync();
        }
        """,
        "ANA012",
        "The timeout -2.0 of 'IFoo' is not valid: it must be greater than zero");

    [Fact]
    public void ANA013_json_context_is_not_a_context() => AssertDiagnostic(
        """
        [AnaAgent("a", JsonContext = [|typeof(string)|])]
        public partial interface IFoo
        {
            Task PingAsync();
        }
        """,
        "ANA013",
        "The JSON context 'string' of contract 'IFoo' is not valid: it does not derive from System.Text.Json.Serialization.JsonSerializerContext");

    [Fact]
    public void ANA017_a_json_context_that_changes_the_wire_format_is_a_warning()
    {
        Markup markup = Markup.Parse(Usings + """
            using System.Text.Json.Serialization;

            public enum Level { Low, VeryHigh }

            public sealed record Report(Level Level, string? Note);

            [JsonSerializable(typeof(Report))]
            [JsonSourceGenerationOptions(UseStringEnumConverter = true)]
            internal sealed partial class MyContext : JsonSerializerContext
            {
            }

            [AnaAgent("a", JsonContext = [|typeof(MyContext)|])]
            public partial interface IFoo
            {
                Task<Report> GetAsync();
            }
            """);
        GeneratorRun run = GeneratorHarness.Run(markup.Source, withSystemTextJson: true);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(("ANA017", DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.DefaultSeverity));
        Assert.Equal(markup.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(
            "The JSON context 'MyContext' of contract 'IFoo' changes the contract's wire format: property names are not SnakeCaseLower (set PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower); "
            + "null members are written as \"x\": null instead of left out (set DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull); "
            + "enum members keep their declared names instead of SnakeCaseLower ones (add a JsonStringEnumConverter with the naming policy to Converters)",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.NotEmpty(run.Sources);
    }

    [Fact]
    public void A_web_defaults_json_context_of_a_camelCase_contract_gets_no_warning()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            using System.Text.Json;
            using System.Text.Json.Serialization;

            public sealed record Report(string Title);

            [JsonSerializable(typeof(Report))]
            [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
            internal sealed partial class WebContext : JsonSerializerContext
            {
            }

            [AnaAgent("a", NamingPolicy = JsonKnownNamingPolicy.CamelCase, JsonContext = typeof(WebContext))]
            public partial interface IFoo
            {
                Task<Report> GetAsync();
            }
            """, withSystemTextJson: true);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void A_json_context_with_the_contracts_conventions_gets_no_warning()
    {
        GeneratorRun run = GeneratorHarness.Run(TestContracts.UserContext, withSystemTextJson: true);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void A_contract_with_errors_generates_nothing()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [AnaAgent("a")]
            public partial interface IFoo
            {
                Task PingAsync();

                int Count();
            }
            """);

        Assert.Single(run.Diagnostics);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Every_problem_of_a_contract_is_reported_at_once()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [AnaAgent("a.b")]
            public interface IFoo
            {
                int Count();

                Task<T> EchoAsync<T>(T value);

                string Name { get; }
            }
            """);

        Assert.Equal(["ANA001", "ANA002", "ANA005", "ANA008", "ANA009"], run.Diagnostics.Select(d => d.Id).Order());
    }

    [Fact]
    public void Descriptors_link_to_their_documentation()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        // The package's repository (its nuspec's): the links go where the package page sends its users.
        string repositoryUrl = Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot(), "Directory.Build.props")), "<RepositoryUrl>([^<]+)</RepositoryUrl>").Groups[1].Value;
        Assert.StartsWith("https://", repositoryUrl, StringComparison.Ordinal);
        foreach (DiagnosticDescriptor descriptor in typeof(DiagnosticDescriptors).GetFields()
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!))
        {
            Assert.Equal(repositoryUrl + "/blob/main/docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            Assert.Contains($"## {descriptor.Id}: {descriptor.Title}", docs, StringComparison.Ordinal);
        }
    }

    private static Diagnostic AssertDiagnostic(string contract, string id, string? expectedMessage)
    {
        Markup markup = Markup.Parse(Usings + contract);
        GeneratorRun run = GeneratorHarness.Run(markup.Source);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        if (expectedMessage is not null)
        {
            Assert.Equal(expectedMessage, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        }

        Assert.Equal(GeneratorHarness.ConsumerFile, diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(markup.Span, diagnostic.Location.SourceSpan);
        LinePositionSpan expectedLines = SourceText.From(markup.Source).Lines.GetLinePositionSpan(markup.Span);
        Assert.Equal(expectedLines, diagnostic.Location.GetLineSpan().Span);
        Assert.Empty(run.Sources);
        return diagnostic;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ana.Contracts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Ana.Contracts.sln) is not above " + AppContext.BaseDirectory);
    }
}
