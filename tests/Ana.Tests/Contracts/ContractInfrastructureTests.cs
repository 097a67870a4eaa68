using System.Buffers;
using System.Text.Json;
using Ana.Contracts.Infrastructure;

namespace Ana.Tests.Contracts;

/// <summary>The types generated code uses hold up when used in ways generated code does not (yet) use them.</summary>
public sealed class ContractInfrastructureTests
{
    [Fact]
    public void Registering_the_same_contract_again_the_same_way_is_accepted()
    {
        ContractDescriptor<IRegisteredTwice> descriptor = new("twice", static (_, _) => null!, static _ => null!);
        ContractRegistry.Register(descriptor);
        ContractRegistry.Register(descriptor);
        ContractRegistry.Register(new ContractDescriptor<IRegisteredTwice>("twice", descriptor.CreateClient, descriptor.CreateDispatcher));
    }

    [Fact]
    public void A_second_different_registration_of_a_contract_is_refused()
    {
        ContractRegistry.Register(new ContractDescriptor<IRegisteredDifferently>("first", static (_, _) => null!, static _ => null!));

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(
            () => ContractRegistry.Register(new ContractDescriptor<IRegisteredDifferently>("second", static (_, _) => null!, static _ => null!)));
        Assert.Contains(nameof(IRegisteredDifferently), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'first'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Argument_writers_interleaved_across_awaits_on_one_thread_stay_apart()
    {
        using ContractArgumentsWriter outer = new();
        outer.Write("a", 1, TestJson.Default.Int32);
        await Task.Yield();
        using (ContractArgumentsWriter inner = new())
        {
            inner.Write("b", "two", TestJson.Default.String);
            Assert.Equal("""{"b":"two"}""", inner.ToData().GetRawText());
        }

        await Task.Yield();
        outer.Write("c", 3, TestJson.Default.Int32);
        Assert.Equal("""{"a":1,"c":3}""", outer.ToData().GetRawText());
    }

    [Fact]
    public void Finishing_an_argument_object_twice_is_refused()
    {
        using ContractArgumentsWriter writer = new();
        writer.ToData();
        Assert.Throws<InvalidOperationException>(() => writer.ToData());
    }

    [Fact]
    public void Serializing_from_inside_a_destination_that_serializes_gives_both_envelopes_whole()
    {
        Pulse outer = new() { From = "outer", Ts = DateTimeOffset.UnixEpoch, Activity = "outside" };
        Pulse inner = new() { From = "inner", Ts = DateTimeOffset.UnixEpoch, Activity = "inside" };
        ReentrantDestination destination = new(inner);

        EnvelopeSerializer.Serialize(destination, outer);

        Assert.Equal(outer, EnvelopeSerializer.Parse(destination.Written.WrittenSpan));
        Assert.NotNull(destination.Nested);
        Assert.Equal(inner, EnvelopeSerializer.Parse(destination.Nested));
    }

    internal interface IRegisteredTwice;

    internal interface IRegisteredDifferently;

    /// <summary>A destination that serializes another envelope the first time it is asked for memory.</summary>
    private sealed class ReentrantDestination(Envelope nested) : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public byte[]? Nested { get; private set; }

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            SerializeNestedOnce();
            return Written.GetMemory(sizeHint);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            SerializeNestedOnce();
            return Written.GetSpan(sizeHint);
        }

        private void SerializeNestedOnce()
        {
            Nested ??= EnvelopeSerializer.SerializeToUtf8Bytes(nested);
        }
    }
}
