using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>One image an importer found, before it is validated and stored.</summary>
/// <param name="SampleId">Stable id within the version.</param>
/// <param name="OriginalPath">Where it came from, relative to the source.</param>
/// <param name="Label">Index into the source's class list.</param>
/// <param name="Split">The split the source assigns, or null to assign one.</param>
/// <param name="Load">Returns the encoded bytes; called once, from a worker thread.</param>
public sealed record ImportCandidate(string SampleId, string OriginalPath, int Label, Split? Split, Func<CancellationToken, Task<byte[]>> Load);
