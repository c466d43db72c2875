using Maas.Analysis.Reports;

namespace Maas.Analysis;

/// <summary>A finished analysis: the report, and thumbnails of flagged samples for the HTML page.</summary>
/// <param name="Report">The report.</param>
/// <param name="Thumbnails">Per sample id, a small PNG of the image, for the flagged samples shown in the HTML report.</param>
public sealed record AnalysisResult(AnalysisReport Report, IReadOnlyDictionary<string, byte[]> Thumbnails);
