namespace StreamDb.Native;

/// <summary>
/// Marks a type that appears in include/streamdb.h, in ascending <see cref="Order"/>. What the
/// generator (src/StreamDb.HeaderGen) emits depends on the type: a static class of constants
/// becomes #defines, a struct without fields an opaque typedef, a struct with fields a C
/// struct named <see cref="Name"/>, a static class of exports a section of declarations, and
/// a static class without members only its doc comment.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
internal sealed class CHeaderAttribute(int order, string? name = null) : Attribute
{
    public int Order { get; } = order;

    /// <summary>The C type name for structs; unused for classes.</summary>
    public string? Name { get; } = name;
}
