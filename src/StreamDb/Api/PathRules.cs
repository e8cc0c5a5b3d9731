using System.Text;
using System.Text.Unicode;
using StreamDb.Util;

namespace StreamDb;

/// <summary>What makes a document path valid: 1 to 4096 bytes of valid UTF-8 without a NUL byte.</summary>
public static class PathRules
{
    public const int MaxBytes = 4096;

    public static Status Validate(ReadOnlySpan<byte> path)
    {
        if (path.Length == 0) return LastError.Set(Status.InvalidArgument, "path is empty");
        if (path.Length > MaxBytes) return LastError.Set(Status.InvalidArgument, $"path is {path.Length} bytes; the limit is {MaxBytes}");
        if (path.IndexOf((byte)0) >= 0) return LastError.Set(Status.InvalidArgument, "path contains a NUL byte");
        if (!Utf8.IsValid(path)) return LastError.Set(Status.InvalidArgument, $"path is not valid UTF-8: {PathText.Show(path)}");
        return Status.Ok;
    }

    /// <summary>Validates a search prefix: like a path, but it may be empty.</summary>
    public static Status ValidatePrefix(ReadOnlySpan<byte> prefix) => prefix.Length == 0 ? Status.Ok : Validate(prefix);

    private static readonly UTF8Encoding Strict = new(false, true);

    /// <summary>UTF-8 bytes of a managed string; InvalidArgument for lone surrogates.</summary>
    public static Status Encode(string? path, out byte[] bytes)
    {
        bytes = [];
        if (path is null) return LastError.Set(Status.InvalidArgument, "path is null");
        try { bytes = Strict.GetBytes(path); }
        catch (EncoderFallbackException) { return LastError.Set(Status.InvalidArgument, "path is not valid Unicode (lone surrogate)"); }
        return Status.Ok;
    }
}
