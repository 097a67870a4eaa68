namespace Ana;

/// <summary>A parsed ana subject: <c>&lt;prefix&gt;.&lt;agent&gt;.&lt;verb&gt;[.&lt;topic&gt;]</c> without its prefix.</summary>
/// <param name="Agent">The agent whose namespace the subject is in.</param>
/// <param name="Verb">The verb token.</param>
/// <param name="Topic">The topic, possibly several dot-separated tokens, or <see langword="null"/> when absent.</param>
public readonly record struct AgentSubject(string Agent, SubjectVerb Verb, string? Topic = null);
