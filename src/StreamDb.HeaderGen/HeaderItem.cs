namespace StreamDb.HeaderGen;

internal enum HeaderItemKind { Comment, Constants, Opaque, Struct, Functions }

internal sealed record CConstant(string Name, string Value, string DocId);

internal sealed record CField(string Type, string Name, string ArraySuffix, string DocId);

internal sealed record CParameter(string Type, string Name);

internal sealed record CFunction(string Name, string ReturnType, IReadOnlyList<CParameter> Parameters, string DocId);

/// <summary>One [CHeader] type of the assembly and what it becomes in the header.</summary>
internal sealed record HeaderItem(int Order, HeaderItemKind Kind, string CName, string DocId)
{
    public List<CConstant> Constants { get; } = [];
    public List<CField> Fields { get; } = [];
    public List<CFunction> Functions { get; } = [];
}
