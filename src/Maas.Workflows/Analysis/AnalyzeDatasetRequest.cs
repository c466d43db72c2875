using Maas.Analysis;
using Maas.Core;
using Maas.Workflows.CrossValidation;

namespace Maas.Workflows.Analysis;

/// <summary>Which dataset version to analyze, and how.</summary>
/// <param name="Dataset">NAME@VERSION, or NAME for the latest version.</param>
/// <param name="Options">The analysis options; <see cref="AnalysisOptions.LabelModel"/> is set from <see cref="LabelCnn"/>.</param>
public sealed record AnalyzeDatasetRequest(VersionedName Dataset, AnalysisOptions Options)
{
    /// <summary>
    /// The K-fold CNN whose out-of-fold probabilities find label issues; null uses the softmax regression on the
    /// embeddings instead (faster, much less precise).
    /// </summary>
    public KFoldTrainerOptions? LabelCnn { get; init; }

    /// <summary>Analyze again even when a report made with the same options is cached.</summary>
    public bool Force { get; init; }

    /// <summary>Also copy report.json and report.html into this folder.</summary>
    public string? CopyTo { get; init; }
}
