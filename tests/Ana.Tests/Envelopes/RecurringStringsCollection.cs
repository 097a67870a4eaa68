namespace Ana.Tests.Envelopes;

/// <summary>Runs <see cref="RecurringStringsTests"/> alone: no other test reads envelopes into the process-wide table meanwhile.</summary>
[CollectionDefinition(nameof(RecurringStringsTests), DisableParallelization = true)]
public sealed class RecurringStringsCollection;
