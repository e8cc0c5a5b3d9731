using System.Text;
using System.Xml.Linq;

namespace StreamDb.HeaderGen;

/// <summary>The compiler's XML doc file, turned into plain paragraphs for C comments.</summary>
internal sealed class DocComments
{
    private readonly Dictionary<string, XElement> members;

    private DocComments(Dictionary<string, XElement> members) => this.members = members;

    public static DocComments Load(string path)
    {
        if (!File.Exists(path))
            throw new HeaderGenException($"no doc file {path}: build StreamDb.Native with GenerateDocumentationFile");
        var doc = XDocument.Load(path);
        var map = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var member in doc.Descendants("member"))
        {
            string name = (string?)member.Attribute("name") ?? "";
            map[name] = member;
            // Methods are looked up without their parameter list (exports are not overloaded).
            int paren = name.IndexOf('(');
            if (paren > 0)
                map[name[..paren]] = member;
        }
        return new DocComments(map);
    }

    public XElement? Find(string docId) => members.GetValueOrDefault(docId);

    public XElement Require(string docId, string what) =>
        Find(docId)?.Element("summary") != null
            ? Find(docId)!
            : throw new HeaderGenException($"{what} has no <summary> doc comment ({docId})");

    /// <summary>Paragraphs of an element; list items come back as paragraphs starting with "- ".</summary>
    public static List<string> Paragraphs(XElement? element)
    {
        var result = new List<string>();
        if (element == null)
            return result;
        var current = new StringBuilder();
        void Flush()
        {
            string text = Normalize(current.ToString());
            if (text.Length > 0)
                result.Add(text);
            current.Clear();
        }
        foreach (var node in element.Nodes())
        {
            if (node is XElement e && e.Name == "para")
            {
                Flush();
                result.AddRange(Paragraphs(e));
            }
            else if (node is XElement list && list.Name == "list")
            {
                Flush();
                foreach (var item in list.Elements("item"))
                    result.Add("- " + Normalize(Inline(item)));
            }
            else
            {
                current.Append(Inline(node));
            }
        }
        Flush();
        return result;
    }

    /// <summary>The element's text on one line.</summary>
    public static string Text(XElement? element) => element == null ? "" : string.Join(" ", Paragraphs(element));

    private static string Inline(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" } e when e.Attribute("langword") is { } word => word.Value == "null" ? "NULL" : word.Value,
        XElement { Name.LocalName: "see" or "seealso" } e when e.Attribute("cref") is { } cref => ShortName(cref.Value),
        XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
        XElement e => string.Concat(e.Nodes().Select(Inline)),
        _ => "",
    };

    private static string ShortName(string cref)
    {
        string name = cref.Contains('(') ? cref[..cref.IndexOf('(')] : cref;
        return name[(name.LastIndexOf('.') + 1)..];
    }

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
