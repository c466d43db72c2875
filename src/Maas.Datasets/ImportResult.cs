using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>What an import produced.</summary>
/// <param name="Version">The new dataset version.</param>
/// <param name="Counts">Samples per split and class.</param>
/// <param name="Rejections">Files skipped, with reasons.</param>
/// <param name="DuplicatesDropped">Files whose exact bytes already appeared earlier in the same import.</param>
/// <param name="RejectionReportPath">The JSON rejection report, written for every import.</param>
/// <param name="Format">The source layout that was read.</param>
public sealed record ImportResult(DatasetVersion Version, SplitCounts Counts, IReadOnlyList<ImportRejection> Rejections, int DuplicatesDropped,
    string RejectionReportPath, string Format);
