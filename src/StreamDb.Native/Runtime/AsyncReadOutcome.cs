namespace StreamDb.Native;

/// <summary>What a background read produced; Message is the engine's message from the pool thread.</summary>
internal sealed record AsyncReadOutcome(Status Status, byte[]? Data, string Message);
