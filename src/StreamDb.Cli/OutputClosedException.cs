namespace StreamDb.Cli;

/// <summary>stdout's reader went away (EPIPE), as in `streamdb ls DB | head`: the command stops
/// quietly, because nobody wants the rest of the output.</summary>
internal sealed class OutputClosedException() : Exception("stdout was closed by its reader");
