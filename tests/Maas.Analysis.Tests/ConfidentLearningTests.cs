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
}
