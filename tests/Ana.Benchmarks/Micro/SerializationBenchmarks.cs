using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ana.Benchmarks.Contract;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Ana.Benchmarks.Micro;

/// <summary>
/// Serialization alone: the contracts generator's JSON context against the System.Text.Json generator's context over the
/// same types with the same options (both write the same bytes; a test in Ana.Contracts.Generator.Tests proves it).
/// Each category pairs the two; the System.Text.Json context is the baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    public const string SerializeReading = "serialize Reading";
    public const string DeserializeReading = "deserialize Reading";
    public const string SerializeBatch = "serialize Batch";
    public const string DeserializeBatch = "deserialize Batch";

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private byte[] _reading = [];
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _reading = JsonSerializer.SerializeToUtf8Bytes(Reading.Sample, ReferenceJsonContext.Default.Reading);
        _batch = JsonSerializer.SerializeToUtf8Bytes(Batch.Sample, ReferenceJsonContext.Default.Batch);
        if (!_reading.AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(Reading.Sample, BenchJsonContext.Default.Reading))
            || !_batch.AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(Batch.Sample, BenchJsonContext.Default.Batch)))
        {
            throw new InvalidOperationException("The two contexts do not write the same bytes: the comparison would be meaningless.");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory(SerializeReading)]
    public void SystemTextJson_SerializeReading() => Write(Reading.Sample, ReferenceJsonContext.Default.Reading);

    [Benchmark, BenchmarkCategory(SerializeReading)]
    public void Generated_SerializeReading() => Write(Reading.Sample, BenchJsonContext.Default.Reading);

    [Benchmark(Baseline = true), BenchmarkCategory(DeserializeReading)]
    public Reading? SystemTextJson_DeserializeReading() => JsonSerializer.Deserialize(_reading, ReferenceJsonContext.Default.Reading);

    [Benchmark, BenchmarkCategory(DeserializeReading)]
    public Reading? Generated_DeserializeReading() => JsonSerializer.Deserialize(_reading, BenchJsonContext.Default.Reading);

    [Benchmark(Baseline = true), BenchmarkCategory(SerializeBatch)]
    public void SystemTextJson_SerializeBatch() => Write(Batch.Sample, ReferenceJsonContext.Default.Batch);

    [Benchmark, BenchmarkCategory(SerializeBatch)]
    public void Generated_SerializeBatch() => Write(Batch.Sample, BenchJsonContext.Default.Batch);

    [Benchmark(Baseline = true), BenchmarkCategory(DeserializeBatch)]
    public Batch? SystemTextJson_DeserializeBatch() => JsonSerializer.Deserialize(_batch, ReferenceJsonContext.Default.Batch);

    [Benchmark, BenchmarkCategory(DeserializeBatch)]
    public Batch? Generated_DeserializeBatch() => JsonSerializer.Deserialize(_batch, BenchJsonContext.Default.Batch);

    private void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, typeInfo);
    }
}
