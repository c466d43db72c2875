using Maas.Training.Evaluation;

namespace Maas.Training.Tests;

public sealed class ProbabilityScoringTests
{
    private static readonly string[] s_abc = ["a", "b", "c"];
    private static readonly string[] s_yesNo = ["yes", "no"];

    [Fact]
    public void TopKAccuracy_CountsTheLabelAmongTheKMostProbable_BreakingTiesTowardsTheLowerIndex()
    {
        float[] probabilities =
        [
            0.1f, 0.5f, 0.3f, 0.1f, // label 2 is second
            0.4f, 0.3f, 0.2f, 0.1f, // label 3 is fourth
            0.25f, 0.25f, 0.25f, 0.25f, // label 1 ties with 0, 2 and 3, and only class 0 comes before it
        ];
        int[] labels = [2, 3, 1];

        Assert.Equal(0.0, ProbabilityScoring.TopKAccuracy(probabilities, labels, 4, 1), 12);
        Assert.Equal(2.0 / 3, ProbabilityScoring.TopKAccuracy(probabilities, labels, 4, 2), 12);
        Assert.Equal(2.0 / 3, ProbabilityScoring.TopKAccuracy(probabilities, labels, 4, 3), 12);
        Assert.Equal(1.0, ProbabilityScoring.TopKAccuracy(probabilities, labels, 4, 4), 12);
    }

    [Fact]
    public void MacroAndWeightedAverages_OfAFixedConfusionMatrix_MatchHandComputedValues()
    {
        // Confusion [[3,1,0],[1,1,0],[0,1,3]]: a has P .75 R .75 F1 .75 (4 samples), b P 1/3 R .5 F1 .4 (2), c P 1 R .75 F1 6/7 (4).
        var report = Evaluator.Score([0, 0, 0, 1, 1, 2, 2, 2, 2, 0], [0, 0, 1, 1, 0, 2, 2, 1, 2, 0], s_abc);

        Assert.Equal((0.75 + (1.0 / 3) + 1) / 3, report.MacroPrecision, 12);
        Assert.Equal((0.75 + 0.5 + 0.75) / 3, report.MacroRecall, 12);
        Assert.Equal((0.75 + 0.4 + (6.0 / 7)) / 3, report.MacroF1, 12);
        Assert.Equal(((0.75 * 4) + (2.0 / 3) + 4) / 10, report.WeightedPrecision, 12);
        Assert.Equal(report.Accuracy, report.WeightedRecall, 12);
        Assert.Equal(((0.75 * 4) + (0.4 * 2) + (6.0 / 7 * 4)) / 10, report.WeightedF1, 12);
    }

    [Fact]
    public void ExpectedCalibrationError_WithKnownBins_IsTheSupportWeightedGap()
    {
        float[] probabilities =
        [
            0.9f, 0.1f, // confidence .9, right: bin 13 of 15, (13/15, 14/15]
            0.88f, 0.12f, // confidence .88, wrong: bin 13 too
            0.3f, 0.7f, // confidence .7, right: bin 10, (10/15, 11/15]
            0.45f, 0.55f, // confidence .55, wrong (label 0): bin 8, (8/15, 9/15]
        ];
        int[] labels = [0, 1, 1, 0];

        var bins = ProbabilityScoring.ReliabilityBins(probabilities, labels, 2);
        var ece = ProbabilityScoring.ExpectedCalibrationError(bins);

        Assert.Equal(15, bins.Count);
        Assert.Equal([8, 10, 13], bins.Select((b, i) => (b, i)).Where(x => x.b.Count > 0).Select(x => x.i));
        Assert.Equal((2, 0.5, 0.89), (bins[13].Count, bins[13].Accuracy, Math.Round(bins[13].Confidence, 6)));
        Assert.Equal(((2 * 0.39) + 0.3 + 0.55) / 4, ece, 6);
    }

    [Fact]
    public void Score_GivesTopKLossAndCalibrationBesideTheClassMetrics()
    {
        float[] probabilities = [0.9f, 0.1f, 0.88f, 0.12f, 0.3f, 0.7f, 0.45f, 0.55f];

        var scored = ProbabilityScoring.Score(probabilities, [0, 1, 1, 0], s_yesNo, topK: 5);

        Assert.Equal(0.5, scored.Report.Accuracy, 12);
        Assert.Equal(2, scored.TopK);
        Assert.Equal(1.0, scored.TopKAccuracy, 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.12) + Math.Log(0.7) + Math.Log(0.45)) / 4, scored.Report.Loss!.Value, 6);
        Assert.Equal(0.4075, scored.ExpectedCalibrationError, 6);
        Assert.Equal([1, 1], scored.Report.ConfusionMatrix[0]);
    }

    [Fact]
    public void Score_ALabelOutsideTheClasses_IsRejectedNamingTheSample()
    {
        var error = Assert.Throws<ArgumentException>(() => ProbabilityScoring.Score([0.5f, 0.5f], [2], s_yesNo));

        Assert.Contains("Sample 0", error.Message, StringComparison.Ordinal);
    }
}
