using Maas.Core;

namespace Maas.Workflows.Analysis;

/// <summary>A reviewed CSV to apply.</summary>
/// <param name="ReviewPath">The reviewed CSV: 'remove' rows are dropped, 'relabel:&lt;class&gt;' rows relabelled, 'keep' rows kept.</param>
/// <param name="Dataset">The version every row must review, if given.</param>
public sealed record ApplyReviewRequest(string ReviewPath, VersionedName? Dataset = null);
