using Maas.Core;

namespace Maas.Workflows.Analysis;

/// <summary>Which analysis report to turn into a review file, and where.</summary>
/// <param name="ReportPath">The analysis report.json.</param>
/// <param name="ReviewPath">Where to write the review CSV.</param>
/// <param name="Dataset">The version the report must be about (by reference or by name), if given.</param>
public sealed record WriteReviewRequest(string ReportPath, string ReviewPath, VersionedName? Dataset = null);
