namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>The contracts the snapshot, compilation and end-to-end tests run the generator over; together they use every feature.</summary>
internal static class TestContracts
{
    /// <summary>The contract of the issue: records, a renamed topic, a method timeout, completion and one-way methods.</summary>
    public const string Scheduler = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo;

        public sealed record Job(string Name, int Priority, IReadOnlyList<string> Tags);

        public sealed record JobResult(string JobName, bool Accepted, long QueuePosition);

        [AnaAgent("scheduler", Version = "2.1.0")]
        public partial interface IScheduler
        {
            Task<JobResult> SubmitAsync(Job job, CancellationToken ct = default);

            [AnaTopic("sum")]
            Task<long> AddAsync(int a, long b);

            [AnaTimeout(0.5)]
            Task<int> SlowAsync(int ms, CancellationToken ct = default);

            Task PingAsync();

            [AnaOneWay]
            Task NotifyAsync(string note);
        }
        """;

    /// <summary>A contract nested in partial types, extending a plain interface, with a contract-wide timeout.</summary>
    public const string Nested = """
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Nesting
        {
            public interface IHealth
            {
                Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
            }

            public static partial class Outer
            {
                internal partial record Inner
                {
                    [AnaAgent("inventory")]
                    [AnaTimeout(2)]
                    internal partial interface IInventory : IHealth
                    {
                        Task<int> CountAsync(string sku, CancellationToken cancellationToken);

                        [AnaTimeout(10)]
                        [AnaTopic("stock.reserve")]
                        Task ReserveAsync(string sku, int quantity, CancellationToken cancellationToken);
                    }
                }
            }
        }
        """;

    /// <summary>Keys through each naming policy: camelCase, kebab-case upper, and none.</summary>
    public const string NamingPolicies = """
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Naming;

        [AnaAgent("camel", NamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        public partial interface ICamelService
        {
            Task<string> LookUpAsync(int userId, string XMLPath);
        }

        [AnaAgent("kebab", NamingPolicy = JsonKnownNamingPolicy.KebabCaseUpper)]
        public partial interface IKebabService
        {
            Task<string> LookUpAsync(int userId, string XMLPath);
        }

        [AnaAgent("verbatim", NamingPolicy = JsonKnownNamingPolicy.Unspecified)]
        public partial interface IVerbatimService
        {
            Task<string> LookUpAsync(int userId, string XMLPath);
        }
        """;

    /// <summary>Optional, nullable and defaulted parameters and nullable results.</summary>
    public const string Optional = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Options;

        public enum Priority { Low, Normal, High }

        [AnaAgent("search")]
        public partial interface ISearch
        {
            Task<List<string?>> FindAsync(
                string query,
                string? note,
                List<string?>? tags,
                int? limit,
                int count = 3,
                string mode = "fast",
                Priority priority = Priority.High,
                double ratio = 0.5,
                float scale = 1.5f,
                decimal price = 9.99m,
                long big = 1L << 40,
                short small = -2,
                char separator = ',',
                bool exact = false,
                string? fallback = null,
                int? maybe = 7,
                DateTime since = default,
                CancellationToken ct = default);

            Task<string?> DescribeAsync(Guid id);

            Task<int?> RankAsync(string term);
        }
        """;

    /// <summary>ValueTask variants and no cancellation tokens, in the global namespace.</summary>
    public const string ValueTasks = """
        using System.Threading.Tasks;
        using Ana.Contracts;

        [AnaAgent("counter")]
        internal partial interface ICounter
        {
            ValueTask<int> IncrementAsync(int by);

            ValueTask ResetAsync();

            [AnaOneWay]
            ValueTask TouchAsync();

            ValueTask<bool> Get();
        }
        """;

    /// <summary>A contract whose JSON metadata comes from the user's own System.Text.Json context.</summary>
    public const string UserContext = """
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Custom;

        public sealed class Point
        {
            public int X { get; set; }

            public int Y { get; set; }
        }

        [JsonSerializable(typeof(Point))]
        [JsonSerializable(typeof(double))]
        [JsonSerializable(typeof(string))]
        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
        internal sealed partial class GeometryJsonContext : JsonSerializerContext
        {
        }

        [AnaAgent("geometry", JsonContext = typeof(GeometryJsonContext))]
        public partial interface IGeometry
        {
            Task<double> DistanceAsync(Point from, Point to, CancellationToken ct = default);

            Task<string?> NameAsync(Point point);
        }
        """;

    /// <summary>Parameters named like the generated code's own locals, keywords, and overloads told apart by topic.</summary>
    public const string NameClashes = """
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Clashes;

        [AnaAgent("clash")]
        public partial interface IClash
        {
            Task<string> EchoAsync(string writer, string arguments, string reply, string query, string context, string result, int @event, CancellationToken ct);

            [AnaTopic("send")]
            Task SendAsync(string topic);

            [AnaTopic("send.twice")]
            Task SendAsync(string topic, int times);

            [AnaTopic("invoke")]
            Task<string> InvokeAsync(string topic);

            Task<string> ReceiveAsync(string data, string call, string Descriptor, string arguments);

            Task ArgumentsAsync(string value);
        }
        """;

    /// <summary>A contract that extends another contract and a plain interface: it serves their topics too.</summary>
    public const string Inheritance = """
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Family;

        public interface IHealth
        {
            Task<bool> HealthyAsync(CancellationToken ct = default);
        }

        [AnaAgent("assistant")]
        public partial interface IAssistant : IHealth
        {
            Task<string> AskAsync(string question, CancellationToken ct = default);
        }

        [AnaAgent("planner")]
        public partial interface IPlanner : IAssistant
        {
            Task<string[]> PlanAsync(string goal, CancellationToken ct = default);
        }
        """;

    /// <summary>A contract whose methods stream their results: with and without a token, a window, a timeout, nullable items.</summary>
    public const string Streaming = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Streams;

        public sealed record Token(string Text, int Index);

        [AnaAgent("writer")]
        public partial interface IWriter
        {
            IAsyncEnumerable<Token> DraftAsync(string prompt, CancellationToken ct = default);

            [AnaStreamWindow(64), AnaTimeout(120), AnaHeartbeat(10)]
            IAsyncEnumerable<string?> LinesAsync(int count);

            Task<int> CountAsync(string text);
        }
        """;

    /// <summary>A contract of long-running methods: progress parameters anywhere in the list, heartbeats on the contract and a method.</summary>
    public const string LongRunning = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Planning;

        public sealed record Goal(string Name);

        public sealed record PlanStep(int Index, string Text);

        public sealed record Plan(string[] Steps);

        [AnaAgent("planner"), AnaHeartbeat(5)]
        public partial interface IPlanner
        {
            [AnaTimeout(600)]
            Task<Plan> PlanAsync(Goal goal, IProgress<PlanStep> progress, CancellationToken ct = default);

            Task ReindexAsync(IProgress<int>? progress, string scope);

            [AnaHeartbeat(2)]
            Task<int> CountAsync();

            [AnaOneWay]
            Task PokeAsync();
        }
        """;

    public const string Durable = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Demo.Durable;

        public sealed record Document(int Id, string Text);

        public sealed record IndexReport(int Id, int Words);

        [AnaAgent("indexer"), AnaHeartbeat(5)]
        public partial interface IIndexer
        {
            [AnaDurable]
            Task<IndexReport> IndexAsync(Document doc, CancellationToken ct = default);

            [AnaDurable(MaxAttempts = 3, RetryDelaySeconds = 0.5), AnaOneWay]
            Task EnqueueAsync(Document doc);

            [AnaDurable, AnaTimeout(120)]
            Task PurgeAsync(int id, CancellationToken ct = default);

            Task<int> CountAsync();
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        [nameof(Durable)] = Durable,
        [nameof(LongRunning)] = LongRunning,
        [nameof(Streaming)] = Streaming,
        [nameof(Scheduler)] = Scheduler,
        [nameof(Nested)] = Nested,
        [nameof(NamingPolicies)] = NamingPolicies,
        [nameof(Optional)] = Optional,
        [nameof(ValueTasks)] = ValueTasks,
        [nameof(UserContext)] = UserContext,
        [nameof(NameClashes)] = NameClashes,
        [nameof(Inheritance)] = Inheritance,
    };

    /// <summary>Whether the contract's JSON metadata comes from the user's context (then System.Text.Json's generator must run too).</summary>
    public static bool UsesSystemTextJson(string name) => name == nameof(UserContext);
}
