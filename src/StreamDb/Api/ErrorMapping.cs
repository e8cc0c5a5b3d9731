using StreamDb.Index;
using StreamDb.Storage;

namespace StreamDb;

/// <summary>Turns an exception that reached the API's edge into a status with a message.</summary>
internal static class ErrorMapping
{
    public static Status FromException(Exception e) => e switch
    {
        ObjectDisposedException => LastError.Set(Status.InvalidArgument, "the database is closed"),
        CheckpointDamagedException => LastError.Set(Status.Corrupted, e.Message),
        // inside the engine a FormatException means stored records that do not decode; the
        // loaders catch it, but a record decoded when first asked for (a checkpoint read as
        // needed) can pass its page's CRC and still not decode: a writer's bug or a crafted file
        FormatException => LastError.Set(Status.Corrupted, "stored index records do not decode: " + e.Message),
        DeviceBusyException => LastError.Set(Status.Busy, e.Message),
        FileNotFoundException or DirectoryNotFoundException => LastError.Set(Status.NotFound, e.Message),
        UnauthorizedAccessException => LastError.Set(Status.IOError, e.Message),
        IOException io when IsDiskFull(io) => LastError.Set(Status.Full, "the disk is full: " + e.Message),
        IOException => LastError.Set(Status.IOError, e.Message),
        OutOfMemoryException => LastError.Set(Status.Full, "out of memory: " + e.Message),
        _ => LastError.Set(Status.Internal, $"{e.GetType().Name}: {e.Message}"),
    };

    // ENOSPC on Unix (28), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(IOException e) =>
        e.HResult == 28 || e.HResult == unchecked((int)0x80070070) || e.HResult == unchecked((int)0x80070027);
}
