namespace StreamDb.Native;

/// <summary>The pointed-to data is const in C: the library only reads it.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
internal sealed class ConstAttribute : Attribute
{
}
