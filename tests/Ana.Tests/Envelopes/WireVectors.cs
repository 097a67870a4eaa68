namespace Ana.Tests.Envelopes;

/// <summary>The conformance vectors copied from shared/wire into tests/wire.</summary>
internal static class WireVectors
{
    public static string Directory(string kind) => Path.Combine(AppContext.BaseDirectory, "wire", kind);

    public static TheoryData<string> Names(string kind)
    {
        TheoryData<string> data = new();
        foreach (string file in System.IO.Directory.GetFiles(Directory(kind)).Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static byte[] Read(string kind, string name) => File.ReadAllBytes(Path.Combine(Directory(kind), name));
}
