namespace Maas.Analysis.Reports;

/// <summary>Everything <c>maas analyze</c> found about one dataset version; serialized as <c>report.json</c>.</summary>
/// <param name="Dataset">The version's reference, e.g. <c>fashion@1</c>.</param>
/// <param name="Classes">Class names in label order.</param>
/// <param name="SampleCount">Samples analyzed.</param>
/// <param name="CreatedAt">When the analysis finished.</param>
/// <param name="ElapsedSeconds">How long it took.</param>
/// <param name="Options">The options it ran with; a cached report is reused only for equal options.</param>
/// <param name="Descriptive">Counts, sizes, channel statistics and property summaries.</param>
/// <param name="Relations">Correlations, label association, class similarity and train/test shift.</param>
/// <param name="Anomalies">Flagged samples and duplicate groups.</param>
public sealed record AnalysisReport(
    string Dataset,
    IReadOnlyList<string> Classes,
    int SampleCount,
    DateTimeOffset CreatedAt,
    double ElapsedSeconds,
    AnalysisOptions Options,
    Descriptive Descriptive,
    Relations Relations,
    Anomalies Anomalies);
