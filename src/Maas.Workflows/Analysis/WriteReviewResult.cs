namespace Maas.Workflows.Analysis;

/// <summary>A written review file.</summary>
/// <param name="Dataset">The version the report is about, NAME@VERSION.</param>
/// <param name="ReviewPath">The full path of the review CSV.</param>
/// <param name="Rows">Rows written (a sample flagged for several issues has several).</param>
/// <param name="Samples">Distinct samples flagged.</param>
public sealed record WriteReviewResult(string Dataset, string ReviewPath, int Rows, int Samples);
