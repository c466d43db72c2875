namespace Maas.Analysis.Reports;

/// <summary>One issue of one sample, with the action a reviewer is offered.</summary>
/// <param name="SampleId">The sample's id in its version.</param>
/// <param name="Path">Where it was imported from.</param>
/// <param name="Split">Its split (<c>train</c>, <c>validation</c>, <c>test</c>).</param>
/// <param name="Label">Its class name.</param>
/// <param name="Issue">What is wrong.</param>
/// <param name="Score">The check's score: for the CleanVision checks in [0, 1], lower is worse; for duplicates the
/// similarity (Hamming bits apart for perceptual hashes are in <paramref name="Detail"/>); for outliers the mean
/// k-NN cosine distance; for label issues the self-confidence.</param>
/// <param name="Action">The proposed action: <c>remove</c>, <c>relabel:&lt;class&gt;</c> or <c>keep</c>.</param>
/// <param name="Detail">A short human explanation (the duplicate's id, the suggested class, ...).</param>
public sealed record SampleIssue(string SampleId, string Path, string Split, string Label, IssueKind Issue, double Score, string Action, string? Detail);
