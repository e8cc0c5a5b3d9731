namespace StreamDb.Cli;

/// <summary>The option of the commands that write documents (put, import).</summary>
internal static class CompressOption
{
    public static readonly OptionSpec Spec = new(["--compress", "-z"], null,
        "store Snappy-compressed (in 64 KiB chunks; reads decompress transparently)");

    public static bool IsSet(ParsedArguments args) => args.Has(Spec.Canonical);
}
