using Maas.Analysis.LabelIssues;

namespace Maas.Analysis.Tests;

/// <summary>Confident learning on probabilities whose thresholds, confident joint and pruning are worked out by hand in the comments.</summary>
public sealed class ConfidentLearningTests
{
    // Class thresholds (mean self-confidence): class 0 (0.9 + 0.8 + 0.7 + 0.1) / 4 = 0.625, class 1 (0.8 + 0.9 + 0.7) / 3
    // = 0.8, class 2 (0.8 + 0.9 + 0.5) / 3 = 0.7333.
    private static readonly int[] s_labels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];

    private static readonly float[][] s_probabilities =
    [
        [0.9f, 0.05f, 0.05f], [0.8f, 0.1f, 0.1f], [0.7f, 0.2f, 0.1f],
        [0.1f, 0.85f, 0.05f], // labelled 0, confidently 1: a flip
        [0.1f, 0.8f, 0.1f], [0.05f, 0.9f, 0.05f],
        [0.2f, 0.7f, 0.1f], // below every threshold: not counted in the joint
        [0.1f, 0.1f, 0.8f], [0.05f, 0.05f, 0.9f],
        [0.3f, 0.2f, 0.5f], // unsure, but its given label is still the most probable: never flagged
    ];

    [Fact]
    public void Thresholds_AreEachClassMeanSelfConfidence()
    {
        var thresholds = ConfidentLearning.Thresholds(s_labels, s_probabilities, 3);
        Assert.Equal([0.625, 0.8, 0.7333], thresholds.Select(t => Math.Round(t, 4)));
    }

    [Fact]
    public void ConfidentJoint_CountsOnlySamplesAboveSomeClassThreshold()
    {
        var joint = ConfidentLearning.ConfidentJoint(s_labels, s_probabilities, 3);
        Assert.Equal(new[,] { { 3, 1, 0 }, { 0, 2, 0 }, { 0, 0, 2 } }, joint);
    }

    [Fact]
    public void Calibrate_ScalesRowsToTheLabelCounts_RoundingByLargestRemainder()
    {
        var calibrated = ConfidentLearning.Calibrate(new[,] { { 3, 1, 0 }, { 0, 2, 0 }, { 1, 1, 1 } }, [4, 3, 4]);
        // Row 2: 4/3 each; the one left over goes to the first of the equal remainders.
        Assert.Equal(new[,] { { 3, 1, 0 }, { 0, 3, 0 }, { 2, 1, 1 } }, calibrated);
    }

    [Fact]
    public void Find_FlagsTheConfidentFlipWithItsSuggestedLabel_AndNotTheUnsureSample()
    {
        var issue = Assert.Single(ConfidentLearning.Find(s_labels, s_probabilities, 3));
        Assert.Equal(new LabelIssue(3, 0, 1, 0.1f, 0.85f), issue);
    }

    [Fact]
    public void Find_PrunesByNoiseRate_LargestMarginFirst_AndRanksBySelfConfidence()
    {
        // Seven samples labelled 0; thresholds 4.07 / 7 = 0.581 and 0.85. Samples 4 and 5 are confidently 1, so the
        // joint row of label 0 is [4, 2], calibrated to 7 samples [5, 2]: the two with the largest p(1) − p(0) are
        // flagged (5, then 4), and sample 6, which the model also prefers as 1 but less surely, is not.
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
        float[][] probabilities =
        [
            [0.9f, 0.1f], [0.85f, 0.15f], [0.8f, 0.2f], [0.95f, 0.05f],
            [0.12f, 0.88f], [0.05f, 0.95f], [0.4f, 0.6f],
            [0.1f, 0.9f], [0.2f, 0.8f], [0.15f, 0.85f],
        ];

        var issues = ConfidentLearning.Find(labels, probabilities, 2);
        Assert.Equal([5, 4], issues.Select(i => i.Index));
        Assert.All(issues, i => Assert.Equal(1, i.SuggestedLabel));
    }

    [Fact]
    public void Find_WithBoth_AlsoRequiresTheLowestSelfConfidenceOfTheGivenLabel()
    {
        // Thresholds 3.2 / 5 = 0.64, 0.6 and 0.95. Sample 3 is confidently 1 (0.7 ≥ 0.6), so the joint row of label 0 is
        // [3, 1, 0], calibrated to 5 samples [4, 1, 0]: prune by noise rate flags the largest p(1) − p(0), sample 3.
        // Prune by class flags the 5 − 4 = 1 least confident in 0, sample 4 (0.2), whose 0.8 for class 2 is below 0.95.
        // Both flags a sample only when the two agree: none here.
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 2, 2];
        float[][] probabilities =
        [
            [0.9f, 0.05f, 0.05f], [0.9f, 0.05f, 0.05f], [0.9f, 0.05f, 0.05f], [0.3f, 0.7f, 0f], [0.2f, 0f, 0.8f],
            [0.4f, 0.6f, 0f], [0.4f, 0.6f, 0f],
            [0f, 0.05f, 0.95f], [0f, 0.05f, 0.95f],
        ];

        Assert.Equal(3, Assert.Single(ConfidentLearning.Find(labels, probabilities, 3, LabelIssueFilter.PruneByNoiseRate)).Index);
        Assert.Empty(ConfidentLearning.Find(labels, probabilities, 3, LabelIssueFilter.Both));
    }

    [Fact]
    public void Find_WithLowSelfConfidence_FlagsAsManyAsTheRawJointsOffDiagonal_LeastSelfConfidentFirst()
    {
        // The raw joint of the first example has one off-diagonal count: the least self-confident sample, 3 (0.1).
        Assert.Equal(new LabelIssue(3, 0, 1, 0.1f, 0.85f), Assert.Single(ConfidentLearning.Find(s_labels, s_probabilities, 3, LabelIssueFilter.LowSelfConfidence)));

        // Two off-diagonal counts (samples 4 and 5 confidently 1): the two least self-confident, 5 (0.05) then 4 (0.12);
        // sample 6 (0.4), which the model also prefers as 1, is third and left out.
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
        float[][] probabilities =
        [
            [0.9f, 0.1f], [0.85f, 0.15f], [0.8f, 0.2f], [0.95f, 0.05f],
            [0.12f, 0.88f], [0.05f, 0.95f], [0.4f, 0.6f],
            [0.1f, 0.9f], [0.2f, 0.8f], [0.15f, 0.85f],
        ];
        Assert.Equal([5, 4], ConfidentLearning.Find(labels, probabilities, 2, LabelIssueFilter.LowSelfConfidence).Select(i => i.Index));
    }
}
