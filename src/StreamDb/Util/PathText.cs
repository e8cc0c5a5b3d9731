using System.Text;

namespace StreamDb.Util;

/// <summary>Renders a path for an error message: UTF-8 when it is, hex otherwise; long ones cut.</summary>
internal static class PathText
{
    public static string Show(ReadOnlySpan<byte> path)
    {
        const int Max = 200;
        var shown = path.Length > Max ? path[..Max] : path;
        string text;
        try { text = new UTF8Encoding(false, true).GetString(shown); }
        catch (DecoderFallbackException) { text = "0x" + Convert.ToHexString(shown); }
        return path.Length > Max ? text + "..." : text;
    }
}
