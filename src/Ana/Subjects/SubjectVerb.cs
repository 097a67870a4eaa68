namespace Ana;

/// <summary>The verb token of an ana subject: what kind of envelope travels on it.</summary>
public enum SubjectVerb
{
    /// <summary><c>query</c>: questions to the agent named in the subject.</summary>
    Query,

    /// <summary><c>reply</c>: answers from the agent named in the subject.</summary>
    Reply,

    /// <summary><c>ack</c>: receipts from the agent named in the subject.</summary>
    Ack,

    /// <summary><c>discovery</c>: the agent announcing itself.</summary>
    Discovery,

    /// <summary><c>policy</c>: policy updates for the agent.</summary>
    Policy,

    /// <summary><c>pulse</c>: the agent's heartbeats.</summary>
    Pulse,

    /// <summary>
    /// <c>work</c>: durable queries for the agent, stored by JetStream until one of its servers takes them (never
    /// delivered to core subscribers of its <c>query</c> subjects; docs/protocol.md).
    /// </summary>
    Work,

    /// <summary>
    /// <c>parked</c>: durable messages an agent's servers gave up on (they failed every attempt, or servers died on them),
    /// kept by JetStream for an operator to look at, replay or drop (docs/durable.md).
    /// </summary>
    Parked,
}
