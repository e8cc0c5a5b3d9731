using StreamDb.HeaderGen;

// streamdb-headergen --assembly <libstreamdb.dll (IL)> --out <streamdb.h>
// The doc comments are read from the .xml file beside the assembly.
string? assembly = null, output = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--assembly" when i + 1 < args.Length: assembly = args[++i]; break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        default:
            Console.Error.WriteLine($"headergen: unexpected argument '{args[i]}'");
            return 2;
    }
}
if (assembly == null || output == null)
{
    Console.Error.WriteLine("usage: headergen --assembly <libstreamdb.dll> --out <streamdb.h>");
    return 2;
}
try
{
    var docs = DocComments.Load(Path.ChangeExtension(assembly, ".xml"));
    var items = ExportModelReader.Read(assembly);
    string header = HeaderWriter.Write(items, docs);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, header);
    Console.WriteLine($"headergen: wrote {output} ({items.Sum(i => i.Functions.Count)} functions)");
    return 0;
}
catch (HeaderGenException e)
{
    Console.Error.WriteLine($"headergen: {e.Message}");
    return 1;
}
