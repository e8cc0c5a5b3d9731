namespace StreamDb.Native;

/// <summary>
/// The exact C type of a parameter, return value or struct field where the C# type alone does
/// not say it (int32_t versus int, char * versus uint8_t *).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Field, Inherited = false)]
internal sealed class CTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}
