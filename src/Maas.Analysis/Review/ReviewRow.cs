namespace Maas.Analysis.Review;

/// <summary>One line of a review file: a flagged sample, its issue and the action to take.</summary>
/// <param name="Dataset">The analyzed version, e.g. <c>fashion@1</c>.</param>
/// <param name="SampleId">The sample's id.</param>
/// <param name="Path">Where it was imported from.</param>
/// <param name="Split">Its split.</param>
/// <param name="Label">Its class name.</param>
/// <param name="Issue">The issue, snake_case.</param>
/// <param name="Score">The check's score.</param>
/// <param name="Action"><c>remove</c>, <c>relabel:&lt;class&gt;</c> or <c>keep</c>.</param>
/// <param name="Detail">A short explanation.</param>
public sealed record ReviewRow(string Dataset, string SampleId, string Path, string Split, string Label, string Issue, double Score, string Action, string Detail);
