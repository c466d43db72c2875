namespace Maas.Analysis.Reports;

/// <summary>Samples that are copies, or near copies, of each other.</summary>
/// <param name="Kind"><see cref="IssueKind.ExactDuplicate"/> or <see cref="IssueKind.NearDuplicate"/>.</param>
/// <param name="SampleIds">The members, in manifest order.</param>
/// <param name="Splits">The split of each member.</param>
/// <param name="CrossesSplits">Whether the members lie in more than one split: leakage between train and evaluation.</param>
public sealed record DuplicateGroup(IssueKind Kind, IReadOnlyList<string> SampleIds, IReadOnlyList<string> Splits, bool CrossesSplits);
