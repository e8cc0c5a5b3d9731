using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace StreamDb.HeaderGen;

/// <summary>
/// Turns signature types into C types: fixed-size integers, size_t for nuint, pointers, and
/// the C names of the assembly's [CHeader] structs. Anything else (managed types, generics)
/// cannot cross a C ABI and stops the generator.
/// </summary>
internal sealed class CTypeProvider(IReadOnlyDictionary<TypeDefinitionHandle, string> cNames) : ISignatureTypeProvider<string, object?>
{
    public const string FixedBufferMarker = "<fixed buffer>";

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.SByte => "int8_t",
        PrimitiveTypeCode.Byte => "uint8_t",
        PrimitiveTypeCode.Int16 => "int16_t",
        PrimitiveTypeCode.UInt16 => "uint16_t",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint32_t",
        PrimitiveTypeCode.Int64 => "int64_t",
        PrimitiveTypeCode.UInt64 => "uint64_t",
        PrimitiveTypeCode.IntPtr => "intptr_t",
        PrimitiveTypeCode.UIntPtr => "size_t",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        _ => throw new HeaderGenException($"the type {typeCode} has no C equivalent"),
    };

    public static string ElementName(string serializedName) => serializedName.Split(',')[0].Trim() switch
    {
        "System.Byte" or "Byte" => "uint8_t",
        "System.SByte" or "SByte" => "int8_t",
        "System.UInt32" or "UInt32" => "uint32_t",
        "System.Int32" or "Int32" => "int32_t",
        "System.UInt64" or "UInt64" => "uint64_t",
        var name => throw new HeaderGenException($"fixed buffer of {name} has no C equivalent"),
    };

    public string GetPointerType(string elementType) =>
        elementType.EndsWith('*') ? elementType + "*" : elementType + " *";

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        if (cNames.TryGetValue(handle, out string? name))
            return name;
        var type = reader.GetTypeDefinition(handle);
        if (reader.GetString(type.Name).Contains("e__FixedBuffer", StringComparison.Ordinal))
            return FixedBufferMarker;
        throw new HeaderGenException($"the type {reader.GetString(type.Namespace)}.{reader.GetString(type.Name)} is used in an export but has no [CHeader] name");
    }

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        throw new HeaderGenException($"the managed type {reader.GetString(reader.GetTypeReference(handle).Name)} cannot cross the C ABI");

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        throw new HeaderGenException("generic types cannot cross the C ABI");

    public string GetSZArrayType(string elementType) => throw new HeaderGenException("arrays cannot cross the C ABI");
    public string GetArrayType(string elementType, ArrayShape shape) => throw new HeaderGenException("arrays cannot cross the C ABI");
    public string GetByReferenceType(string elementType) => throw new HeaderGenException("ref parameters cannot cross the C ABI; use pointers");
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => throw new HeaderGenException("generic types cannot cross the C ABI");
    public string GetGenericMethodParameter(object? genericContext, int index) => throw new HeaderGenException("generic methods cannot be exported");
    public string GetGenericTypeParameter(object? genericContext, int index) => throw new HeaderGenException("generic types cannot be exported");
    public string GetFunctionPointerType(MethodSignature<string> signature) => throw new HeaderGenException("function pointers are not supported");
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPinnedType(string elementType) => elementType;
}
