using Maas.Analysis.Reports;

namespace Maas.Workflows.Analysis;

/// <summary>An analysis report and where its files are.</summary>
/// <param name="Report">The report.</param>
/// <param name="Cached">Whether the report was a cached one rather than made now.</param>
/// <param name="JsonPath">The report.json file (in the copy folder when one was asked for).</param>
/// <param name="HtmlPath">The report.html file (in the copy folder when one was asked for).</param>
public sealed record AnalyzeDatasetResult(AnalysisReport Report, bool Cached, string JsonPath, string HtmlPath);
