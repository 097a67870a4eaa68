namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>A fact that needs the real JSON context part of the generator: skipped on its stub (<see cref="JsonPart"/>).</summary>
internal sealed class JsonPartFactAttribute : FactAttribute
{
    public JsonPartFactAttribute()
    {
        if (!JsonPart.IsReal)
        {
            Skip = JsonPart.SkipReason;
        }
    }
}
