using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace StreamDb.HeaderGen;

/// <summary>
/// Reads the [CHeader] types of the compiled library with System.Reflection.Metadata (the
/// assembly is never loaded): constants, opaque handle types, structs and the
/// [UnmanagedCallersOnly] exports with their C signatures.
/// </summary>
internal static class ExportModelReader
{
    public static List<HeaderItem> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        var marked = new Dictionary<TypeDefinitionHandle, (int Order, string? Name)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (FindAttribute(reader, type.GetCustomAttributes(), "CHeaderAttribute") is { } attr)
            {
                var value = attr.DecodeValue(AttributeValueProvider.Instance);
                marked[handle] = ((int)value.FixedArguments[0].Value!, (string?)value.FixedArguments[1].Value);
            }
        }
        var cNames = marked.Where(m => m.Value.Name != null).ToDictionary(m => m.Key, m => m.Value.Name!);
        var types = new CTypeProvider(cNames);

        var items = new List<HeaderItem>();
        foreach (var (handle, (order, name)) in marked)
            items.Add(ReadItem(reader, handle, order, name, types));
        CheckNoStrayExports(reader, marked.Keys.ToHashSet());
        return [.. items.OrderBy(i => i.Order)];
    }

    private static HeaderItem ReadItem(MetadataReader reader, TypeDefinitionHandle handle, int order, string? cName, CTypeProvider types)
    {
        var type = reader.GetTypeDefinition(handle);
        string fullName = FullName(reader, type);
        bool isStruct = IsValueType(reader, type);
        var fields = type.GetFields().Select(reader.GetFieldDefinition).ToList();
        var methods = type.GetMethods().Select(reader.GetMethodDefinition)
            .Where(m => FindAttribute(reader, m.GetCustomAttributes(), "UnmanagedCallersOnlyAttribute") != null).ToList();

        HeaderItemKind kind;
        if (isStruct)
            kind = fields.Any(f => (f.Attributes & FieldAttributes.Static) == 0) ? HeaderItemKind.Struct : HeaderItemKind.Opaque;
        else if (methods.Count > 0)
            kind = HeaderItemKind.Functions;
        else if (fields.Any(f => (f.Attributes & FieldAttributes.Literal) != 0))
            kind = HeaderItemKind.Constants;
        else
            kind = HeaderItemKind.Comment;
        if (isStruct && cName == null)
            throw new HeaderGenException($"struct {fullName} has [CHeader] but no C name");

        var item = new HeaderItem(order, kind, cName ?? "", "T:" + fullName);
        switch (kind)
        {
            case HeaderItemKind.Constants:
                foreach (var field in fields.Where(f => (f.Attributes & FieldAttributes.Literal) != 0 && (f.Attributes & FieldAttributes.FieldAccessMask) == FieldAttributes.Public))
                {
                    string fieldName = reader.GetString(field.Name);
                    item.Constants.Add(new CConstant(fieldName, ConstantText(reader, field), $"F:{fullName}.{fieldName}"));
                }
                break;
            case HeaderItemKind.Struct:
                foreach (var field in fields.Where(f => (f.Attributes & FieldAttributes.Static) == 0))
                    item.Fields.Add(ReadField(reader, field, fullName, types));
                break;
            case HeaderItemKind.Functions:
                foreach (var method in methods)
                    item.Functions.Add(ReadFunction(reader, method, fullName, types));
                break;
        }
        return item;
    }

    private static CField ReadField(MetadataReader reader, FieldDefinition field, string owner, CTypeProvider types)
    {
        string name = reader.GetString(field.Name);
        string docId = $"F:{owner}.{name}";
        string? overridden = CTypeOverride(reader, field.GetCustomAttributes());
        string type = overridden ?? field.DecodeSignature(types, null);
        if (type == CTypeProvider.FixedBufferMarker)
        {
            var attr = FindAttribute(reader, field.GetCustomAttributes(), "FixedBufferAttribute")
                ?? throw new HeaderGenException($"{docId}: fixed buffer without FixedBufferAttribute");
            var value = attr.DecodeValue(AttributeValueProvider.Instance);
            return new CField(CTypeProvider.ElementName((string)value.FixedArguments[0].Value!), name, $"[{(int)value.FixedArguments[1].Value!}]", docId);
        }
        return new CField(type, name, "", docId);
    }

    private static CFunction ReadFunction(MetadataReader reader, MethodDefinition method, string owner, CTypeProvider types)
    {
        string methodName = reader.GetString(method.Name);
        var attr = FindAttribute(reader, method.GetCustomAttributes(), "UnmanagedCallersOnlyAttribute")!.Value;
        var value = attr.DecodeValue(AttributeValueProvider.Instance);
        string entryPoint = value.NamedArguments.FirstOrDefault(a => a.Name == "EntryPoint").Value as string
            ?? throw new HeaderGenException($"{owner}.{methodName}: [UnmanagedCallersOnly] without EntryPoint");
        if (!entryPoint.StartsWith("streamdb_", StringComparison.Ordinal))
            throw new HeaderGenException($"{entryPoint}: every export must start with streamdb_");

        var signature = method.DecodeSignature(types, null);
        var parameters = method.GetParameters().Select(reader.GetParameter).ToDictionary(p => p.SequenceNumber);
        string ReturnType()
        {
            string t = signature.ReturnType;
            if (parameters.TryGetValue(0, out var ret))
                t = Adjust(reader, ret.GetCustomAttributes(), t);
            return t;
        }
        var list = new List<CParameter>();
        for (int i = 0; i < signature.ParameterTypes.Length; i++)
        {
            if (!parameters.TryGetValue(i + 1, out var p))
                throw new HeaderGenException($"{entryPoint}: parameter {i + 1} has no name");
            list.Add(new CParameter(Adjust(reader, p.GetCustomAttributes(), signature.ParameterTypes[i]), reader.GetString(p.Name)));
        }
        return new CFunction(entryPoint, ReturnType(), list, $"M:{owner}.{methodName}");
    }

    /// <summary>[CType] replaces the type; [Const] makes the pointed-to data const.</summary>
    private static string Adjust(MetadataReader reader, CustomAttributeHandleCollection attributes, string type)
    {
        string? overridden = CTypeOverride(reader, attributes);
        if (overridden != null)
            return overridden;
        if (FindAttribute(reader, attributes, "ConstAttribute") != null)
            return "const " + type;
        return type;
    }

    private static string? CTypeOverride(MetadataReader reader, CustomAttributeHandleCollection attributes) =>
        FindAttribute(reader, attributes, "CTypeAttribute") is { } a
            ? (string?)a.DecodeValue(AttributeValueProvider.Instance).FixedArguments[0].Value
            : null;

    private static string ConstantText(MetadataReader reader, FieldDefinition field)
    {
        var constant = reader.GetConstant(field.GetDefaultValue());
        var blob = reader.GetBlobReader(constant.Value);
        return constant.TypeCode switch
        {
            ConstantTypeCode.Int32 => blob.ReadInt32() is var v && v < 0 ? $"({v})" : v.ToString(),
            ConstantTypeCode.UInt32 => $"0x{blob.ReadUInt32():X}",
            ConstantTypeCode.Int64 => $"{blob.ReadInt64()}LL",
            ConstantTypeCode.UInt64 => $"0x{blob.ReadUInt64():X}ULL",
            ConstantTypeCode.String => "\"" + blob.ReadUTF16(blob.Length) + "\"",
            _ => throw new HeaderGenException($"constant {reader.GetString(field.Name)} of type {constant.TypeCode} is not supported"),
        };
    }

    /// <summary>An export outside a [CHeader] class would be missing from the header.</summary>
    private static void CheckNoStrayExports(MetadataReader reader, HashSet<TypeDefinitionHandle> marked)
    {
        foreach (var handle in reader.TypeDefinitions)
        {
            if (marked.Contains(handle))
                continue;
            var type = reader.GetTypeDefinition(handle);
            foreach (var m in type.GetMethods().Select(reader.GetMethodDefinition))
            {
                if (FindAttribute(reader, m.GetCustomAttributes(), "UnmanagedCallersOnlyAttribute") != null)
                    throw new HeaderGenException($"{FullName(reader, type)}.{reader.GetString(m.Name)} is exported but its class has no [CHeader]");
            }
        }
    }

    private static CustomAttribute? FindAttribute(MetadataReader reader, CustomAttributeHandleCollection attributes, string typeName)
    {
        foreach (var handle in attributes)
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (AttributeTypeName(reader, attribute) == typeName)
                return attribute;
        }
        return null;
    }

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MethodDefinition:
                var def = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                return reader.GetString(reader.GetTypeDefinition(def.GetDeclaringType()).Name);
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                return member.Parent.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name),
                    _ => "",
                };
            default:
                return "";
        }
    }

    private static bool IsValueType(MetadataReader reader, TypeDefinition type)
    {
        if (type.BaseType.IsNil || type.BaseType.Kind != HandleKind.TypeReference)
            return false;
        var baseType = reader.GetTypeReference((TypeReferenceHandle)type.BaseType);
        return reader.GetString(baseType.Name) == "ValueType" && reader.GetString(baseType.Namespace) == "System";
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        string ns = reader.GetString(type.Namespace);
        string name = reader.GetString(type.Name);
        return ns.Length > 0 ? ns + "." + name : name;
    }
}
