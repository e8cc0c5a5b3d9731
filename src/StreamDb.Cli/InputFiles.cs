namespace StreamDb.Cli;

/// <summary>Opens local files named on the command line with errors that map onto exit codes.</summary>
internal static class InputFiles
{
    public static FileStream Open(string file)
    {
        if (Directory.Exists(file))
            throw CliException.Invalid($"{file}: is a directory");
        if (!File.Exists(file))
            throw CliException.NotFound($"{file}: no such file");
        // Callers read in large chunks themselves, so FileStream's own buffer would only copy.
        return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }
}
