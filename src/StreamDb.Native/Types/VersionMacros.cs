namespace StreamDb.Native;

/// <summary>The version of this header; streamdb_version() returns the library's.</summary>
[CHeader(1)]
public static class VersionMacros
{
    /// <summary>Incompatible ABI changes.</summary>
    public const int STREAMDB_VERSION_MAJOR = 0;
    /// <summary>Compatible additions.</summary>
    public const int STREAMDB_VERSION_MINOR = 1;
    /// <summary>Fixes.</summary>
    public const int STREAMDB_VERSION_PATCH = 0;
    /// <summary>"MAJOR.MINOR.PATCH".</summary>
    public const string STREAMDB_VERSION_STRING = "0.1.0";
}
