namespace StreamDb;

/// <summary>Thrown by the convenience (throwing) members of the managed API.</summary>
public sealed class StreamDbException : Exception
{
    public StreamDbException(Status status, string message) : base(message) => Status = status;

    public Status Status { get; }
}
