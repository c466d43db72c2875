namespace Maas.Analysis.Reports;

/// <summary>What looks wrong, sample by sample.</summary>
/// <param name="Counts">Per issue kind, how many samples have it (including kinds too common to list).</param>
/// <param name="Issues">Every listed issue: the review list.</param>
/// <param name="Suppressed">
/// Issue kinds found in more than the report's maximum prevalence of samples, counted but not listed: when most of a
/// dataset is grayscale, grayscale is a property of the dataset, not an anomaly (CleanVision's report does the same).
/// </param>
/// <param name="ExactDuplicates">Groups of samples with identical decoded pixels.</param>
/// <param name="NearDuplicates">Groups of near duplicates (perceptual hash or embedding), exact duplicates excluded.</param>
/// <param name="Skipped">Checks that did not run, and why.</param>
/// <param name="LabelModel">
/// The classifier whose out-of-fold probabilities the label issues come from, with its out-of-fold accuracy against
/// the given labels; null when label issues were not sought.
/// </param>
public sealed record Anomalies(
    IReadOnlyDictionary<IssueKind, int> Counts,
    IReadOnlyList<SampleIssue> Issues,
    IReadOnlyList<IssueKind> Suppressed,
    IReadOnlyList<DuplicateGroup> ExactDuplicates,
    IReadOnlyList<DuplicateGroup> NearDuplicates,
    IReadOnlyList<string> Skipped,
    string? LabelModel = null);
