using System.Text.Json.Serialization;

namespace Ana.Tests;

/// <summary>Source-generated JSON metadata for the few values the tests serialize.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class TestJson : JsonSerializerContext;
