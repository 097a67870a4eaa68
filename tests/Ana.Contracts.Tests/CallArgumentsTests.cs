using System.Text.Json;

namespace Ana.Contracts.Tests;

/// <summary>The generated arguments of a contract method, as filters read them, without a bus.</summary>
public sealed class CallArgumentsTests
{
    [Fact]
    public void The_arguments_a_client_was_called_with_are_read_by_position_and_by_name()
    {
        AnaCallArguments arguments = new IGuarded.Arguments.ScaleArguments(2, 3);

        Assert.Equal("IGuarded.ScaleAsync", arguments.Method.ToString());
        Assert.Equal("scale", arguments.Method.Topic);
        Assert.Equal(2, arguments.Count);
        Assert.Equal(["value", "factor"], [arguments.GetName(0), arguments.GetName(1)]);
        Assert.Equal(1, arguments.IndexOf("factor"));
        Assert.Equal(-1, arguments.IndexOf("Factor"));
        Assert.Equal(2, arguments.GetValue<int>(0));
        Assert.Equal(3, arguments.GetValue(1));
        Assert.True(arguments.TryGetValue("factor", out int factor));
        Assert.Equal(3, factor);
        Assert.True(arguments.TryGetValue("factor", out object? boxed));
        Assert.Equal(3, boxed);
    }

    [Fact]
    public void A_value_of_another_type_or_an_unknown_name_is_not_found_and_a_position_out_of_range_throws()
    {
        AnaCallArguments arguments = new IGuarded.Arguments.ScaleArguments(2, 3);

        Assert.False(arguments.TryGetValue("factor", out long _));
        Assert.False(arguments.TryGetValue("factor", out string? _));
        Assert.False(arguments.TryGetValue("missing", out int _));
        Assert.Throws<InvalidCastException>(() => arguments.GetValue<long>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => arguments.GetValue(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => arguments.GetName(-1));
    }

    [Fact]
    public void A_method_without_parameters_has_no_arguments()
    {
        AnaCallArguments arguments = new IGuarded.Arguments.FailArguments();

        Assert.Equal(0, arguments.Count);
        Assert.Empty(arguments.Method.ParameterNames);
        Assert.False(arguments.TryGetValue("anything", out object? _));
    }

    [Fact]
    public void Received_arguments_are_read_when_a_value_is_first_asked_for_and_then_kept()
    {
        using JsonDocument data = JsonDocument.Parse("""{"job":{"name":"report","priority":2}}""");
        IGuarded.Arguments.SubmitArguments arguments = IGuarded.Arguments.SubmitArguments.Received(data.RootElement);

        GuardedJob first = arguments.GetValue<GuardedJob>(0);
        arguments.Deconstruct(out GuardedJob second);

        Assert.Equal(new GuardedJob("report", 2), first);
        Assert.Same(first, second);
    }

    [Fact]
    public void A_malformed_received_argument_throws_bad_request_only_when_a_value_is_asked_for()
    {
        using JsonDocument data = JsonDocument.Parse("""{"value":"two","factor":3}""");
        AnaCallArguments arguments = IGuarded.Arguments.ScaleArguments.Received(data.RootElement);

        Assert.Equal(2, arguments.Count);
        Assert.Equal("factor", arguments.GetName(1));
        AnaException exception = Assert.Throws<AnaException>(() => arguments.TryGetValue("factor", out int _));
        Assert.Equal(AnaErrorCodes.BadRequest, exception.Code);
        Assert.Contains("'value'", exception.Message, StringComparison.Ordinal);
        Assert.Equal(AnaErrorCodes.BadRequest, Assert.Throws<AnaException>(() => arguments.GetValue(0)).Code);
    }

    [Fact]
    public void Reading_a_value_type_as_itself_does_not_box_it()
    {
        AnaCallArguments arguments = new IGuarded.Arguments.ScaleArguments(2, 3);
        long sum = 0;
        for (int i = 0; i < 100; i++)
        {
            sum += arguments.GetValue<int>(1);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sum += arguments.GetValue<int>(1);
            sum += arguments.TryGetValue("value", out int value) ? value : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(5300, sum);
    }
}
