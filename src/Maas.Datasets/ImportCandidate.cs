using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>One entry a source found: an image to validate and store, or an entry refused while listing.</summary>
/// <param name="SampleId">Stable id within the version (the relative path, or <c>train/00042</c> for IDX).</param>
/// <param name="OriginalPath">Where it came from, relative to the source; names it in the rejection report.</param>
/// <param name="ClassName">The class it is labelled with. Names, not indices, so a streaming source need not know every class up front.</param>
/// <param name="Split">The split the source assigns, or null to assign one.</param>
/// <param name="Load">Returns the encoded bytes; called once, from a worker. Null for a refused entry.</param>
/// <param name="Size">The byte size when known before loading, so oversized files are refused unread.</param>
/// <param name="Rejection">Why the source refused the entry (a link out of the tree, a path escaping an archive), or null.</param>
public sealed record ImportCandidate(
    string SampleId,
    string OriginalPath,
    string ClassName,
    Split? Split,
    Func<CancellationToken, ValueTask<byte[]>>? Load,
    long? Size = null,
    string? Rejection = null)
{
    /// <summary>An entry the source refuses, with the reason.</summary>
    public static ImportCandidate Refused(string originalPath, string reason) =>
        new(originalPath, originalPath, "", null, null, null, reason);
}
