namespace StreamDb.HeaderGen;

/// <summary>The exports cannot be turned into a header (an unmapped type, a missing doc comment).</summary>
internal sealed class HeaderGenException(string message) : Exception(message);
