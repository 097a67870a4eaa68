using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Json.Schema;

// Test-only reflection over the contract interfaces (see RandomValues.cs).
#pragma warning disable IL2026, IL3050

namespace Ana.Contracts.Tests.Schemas;

/// <summary>
/// The generated JSON Schemas (issue 15, section 2) say what the generated code reads and writes, for every DTO of the
/// test contracts: what the serializer writes for random values passes them; a payload changed at a random place
/// (a member removed, a value of another shape put in) passes them exactly when the real reader (the JSON metadata for
/// results, the served dispatcher for arguments) accepts it, so a schema check never refuses what a server would
/// accept, and refuses what it would refuse for a missing member or a wrong type.
/// </summary>
public sealed class ContractSchemaTests : IAsyncLifetime
{
    private static readonly SchemaContract[] Contracts =
    [
        SchemaContract.Of<IScheduler>(SchedulerJsonContext.Default),
        SchemaContract.Of<IPlanner>(PlannerJsonContext.Default),
        SchemaContract.Of<IWriter>(WriterJsonContext.Default),
        SchemaContract.Of<ILongPlanner>(LongPlannerJsonContext.Default),
        SchemaContract.Of<IWhoAmI>(WhoAmIJsonContext.Default),
    ];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _cleanup = [];
    private AgentBus _caller = null!;

    private static IEnumerable<SchemaMethod> Methods => Contracts.SelectMany(c => c.Methods);

    public async Task InitializeAsync()
    {
        AgentBusOptions options = new() { Url = $"memory://schemas-{Guid.NewGuid():N}", Prefix = "schemas" };
        AgentBus server = await AgentBus.ConnectAsync("server", options);
        _cleanup.Add(server);
        foreach (SchemaContract contract in Contracts)
        {
            _cleanup.Add(await contract.ServeIdle(server));
        }

        _caller = await AgentBus.ConnectAsync("caller", options);
        _cleanup.Add(_caller);
    }

    public async Task DisposeAsync()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [Fact]
    public void Every_method_has_an_arguments_schema_and_one_for_each_value_it_returns()
    {
        foreach (SchemaMethod method in Methods)
        {
            Assert.Contains("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"", method.Text.Arguments, StringComparison.Ordinal);
            Assert.Equal(method.ResultType is not null, method.Result is not null);
            Assert.Equal(method.ProgressType is not null, method.Progress is not null);
        }

        Assert.Contains(Methods, m => m.Method.Name == nameof(IWriter.DraftAsync) && m.Result is not null);
        Assert.Contains(Methods, m => m.Method.Name == nameof(ILongPlanner.PlanAsync) && m.Progress is not null);
    }

    [Fact]
    public void What_the_serializer_writes_for_results_items_and_progress_passes_their_schemas()
        => Gen.Int.Sample(
            seed =>
            {
                RandomValues values = new(seed);
                foreach (SchemaMethod method in Methods)
                {
                    if (method is { Result: { } result, ResultType: { } resultType })
                    {
                        JsonNode? payload = Serialize(method, values.Create(resultType.Type, resultType.Nullability), resultType.Type);
                        Assert.True(SchemaMethod.Valid(result, payload, out string errors), $"{method} result {payload?.ToJsonString()}: {errors}");
                    }

                    if (method is { Progress: { } progress, ProgressType: { } progressType })
                    {
                        JsonNode? payload = Serialize(method, values.Create(progressType.Type, progressType.Nullability), progressType.Type);
                        Assert.True(SchemaMethod.Valid(progress, payload, out string errors), $"{method} progress {payload?.ToJsonString()}: {errors}");
                    }
                }
            },
            iter: 200);

    [Fact]
    public void A_changed_result_passes_its_schema_exactly_when_the_reader_accepts_it()
    {
        int refusedCount = 0;
        int acceptedCount = 0;
        Gen.Int.Sample(
            seed =>
            {
                RandomValues values = new(seed);
                Random random = new(seed);
                foreach (SchemaMethod method in Methods)
                {
                    if (method is not { Result: { } result, ResultType: { } resultType })
                    {
                        continue;
                    }

                    JsonNode? original = Serialize(method, values.Create(resultType.Type, resultType.Nullability), resultType.Type);
                    if (JsonMutations.Apply(original, random) is not { } mutation)
                    {
                        continue;
                    }

                    bool accepted = Reads(method, mutation.Payload, resultType.Type, out string readError);
                    bool valid = SchemaMethod.Valid(result, mutation.Payload, out string errors);
                    Assert.True(
                        accepted == valid,
                        $"{method} result, {mutation.Change}: {mutation.Payload?.ToJsonString()}\nreader {(accepted ? "accepts" : "refuses: " + readError)}\nschema {(valid ? "accepts" : "refuses: " + errors)}");
                    _ = accepted ? Interlocked.Increment(ref acceptedCount) : Interlocked.Increment(ref refusedCount);
                }
            },
            iter: 300);

        // Both outcomes were met, or the property says little.
        Assert.True(refusedCount > 0 && acceptedCount > 0, $"refused {refusedCount}, accepted {acceptedCount}");
    }

    [Fact]
    public async Task Arguments_as_the_client_writes_them_pass_their_schema_and_a_changed_set_passes_exactly_when_the_dispatcher_accepts_it()
    {
        int refused = 0;
        int accepted = 0;
        await Gen.Int.SampleAsync(
            async seed =>
            {
                RandomValues values = new(seed);
                Random random = new(seed);
                foreach (SchemaMethod method in Methods)
                {
                    JsonObject arguments = Arguments(method, values, random);
                    Assert.True(SchemaMethod.Valid(method.Arguments, arguments, out string errors), $"{method} arguments {arguments.ToJsonString()}: {errors}");
                    if (method.IsOneWay)
                    {
                        continue;
                    }

                    Assert.Null(await RefusalAsync(method, arguments));
                    if (JsonMutations.Apply(arguments, random) is not { } mutation)
                    {
                        continue;
                    }

                    string? refusal = await RefusalAsync(method, mutation.Payload);
                    bool valid = SchemaMethod.Valid(method.Arguments, mutation.Payload, out string mutationErrors);
                    Assert.True(
                        (refusal is null) == valid,
                        $"{method} arguments, {mutation.Change}: {mutation.Payload?.ToJsonString()}\ndispatcher {(refusal is null ? "accepts" : "refuses: " + refusal)}\nschema {(valid ? "accepts" : "refuses: " + mutationErrors)}");
                    _ = refusal is null ? Interlocked.Increment(ref accepted) : Interlocked.Increment(ref refused);
                }
            },
            iter: 60,
            threads: 1);

        // Both outcomes were met, or the property says little.
        Assert.True(refused > 0 && accepted > 0, $"refused {refused}, accepted {accepted}");
    }

    [Theory]
    [InlineData("describe", """{"delay":"PT5M","amount":"12.50","due":1700000000,"at":"2024-05-01 10:00:00+02:00","day":"2024-05-01","time":"10:30:00Z","every":300}""")]
    [InlineData("describe", """{"delay":"0:05:00","amount":12.5,"due":"2024-05-01T10:00:00","at":1700000000.5,"day":1700000000,"time":37800,"every":null}""")]
    [InlineData("submit", """{"job":{"name":"n","priority":2,"steps":[{"command":"c","timeout":"1 day, 0:00:00","exit_codes_allowed":[0]}]}}""")]
    public async Task The_forms_a_Python_peer_writes_pass_the_schema_and_the_dispatcher(string topic, string data)
    {
        SchemaMethod method = Methods.Single(m => m.Topic == topic && m.Contract.Contract == typeof(IScheduler));
        JsonNode? arguments = JsonNode.Parse(data);
        Assert.True(SchemaMethod.Valid(method.Arguments, arguments, out string errors), errors);
        Assert.Null(await RefusalAsync(method, arguments));
    }

    [Theory]
    [InlineData("submit", """{"job":{"priority":"low","steps":[]}}""", "name")]
    [InlineData("submit", """{"job":{"name":"n","priority":"low","steps":[{"command":"c","timeout":true,"exit_codes_allowed":[]}]}}""", "timeout")]
    [InlineData("submit", """{"job":{"name":"n","priority":"sometimes","steps":[]}}""", "priority")]
    [InlineData("sum", """{"a":1}""", "b")]
    [InlineData("sum", """{"a":1,"b":"2"}""", "b")]
    [InlineData("scale", """{"shape":{"radius":1},"factor":2}""", "shape")]
    public async Task A_missing_member_or_a_wrong_type_fails_the_schema_as_it_fails_the_dispatcher(string topic, string data, string where)
    {
        SchemaMethod method = Methods.Single(m => m.Topic == topic && m.Contract.Contract == typeof(IScheduler));
        JsonNode? arguments = JsonNode.Parse(data);
        Assert.False(SchemaMethod.Valid(method.Arguments, arguments, out string errors));
        Assert.Contains(where, errors, StringComparison.Ordinal);
        Assert.NotNull(await RefusalAsync(method, arguments));
    }

    private static JsonObject Arguments(SchemaMethod method, RandomValues values, Random random)
    {
        JsonObject arguments = [];
        foreach (ParameterInfo parameter in method.DataParameters)
        {
            if (parameter.HasDefaultValue && random.Next(3) == 0)
            {
                continue;
            }

            arguments[method.JsonName(parameter)] = Serialize(method, values.Create(parameter.ParameterType, RandomValues.Of(parameter)), parameter.ParameterType);
        }

        return arguments;
    }

    private static JsonNode? Serialize(SchemaMethod method, object? value, Type type)
        => JsonSerializer.SerializeToNode(value, method.Contract.TypeInfo(type));

    private static bool Reads(SchemaMethod method, JsonNode? payload, Type type, out string error)
    {
        try
        {
            JsonSerializer.Deserialize(payload?.ToJsonString() ?? "null", method.Contract.TypeInfo(type));
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The dispatcher's <c>bad_request</c> message for <paramref name="arguments"/>, or <see langword="null"/> when it took them.</summary>
    private async Task<string?> RefusalAsync(SchemaMethod method, JsonNode? arguments)
    {
        using JsonDocument data = JsonDocument.Parse(arguments?.ToJsonString() ?? "null");
        Reply? reply = await _caller.QueryAndWaitAsync(method.Contract.Agent, "schema check", method.Topic, Patience, data.RootElement.Clone());
        Assert.NotNull(reply);
        return reply.Error is { Code: AnaErrorCodes.BadRequest } error ? error.Message : null;
    }
}
