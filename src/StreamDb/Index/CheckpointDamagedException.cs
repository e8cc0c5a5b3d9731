namespace StreamDb.Index;

/// <summary>
/// A checkpoint page read after the open (see <see cref="RecordPages"/>) is not the page the
/// checkpoint expects, or the checkpoint's own offsets point outside it. A FormatException, so
/// that the open and the scan of the pages in use treat it as they treat any damaged record; the API's
/// edge reports it as Corrupted.
/// </summary>
internal sealed class CheckpointDamagedException(string message) : FormatException("checkpoint damaged: " + message);
