using Maas.Analysis.Statistics;
using Maas.Imaging;

namespace Maas.Analysis.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void KolmogorovSmirnov_OfTwoSmallSamples_IsTheLargestGapBetweenTheirStepFunctions()
    {
        // F_a steps by 1/4 at 1,2,3,4; F_b by 1/4 at 3,4,5,6. At x = 2: F_a = 2/4, F_b = 0; gap 0.5 is the largest.
        var (d, p) = KolmogorovSmirnov.TwoSample([1, 2, 3, 4], [3, 4, 5, 6]);
        Assert.Equal(0.5, d, 12);
        // n_e = 2, λ = (√2 + 0.12 + 0.11/√2) × 0.5 = 0.80600; Q_KS(λ) = 2 Σ (-1)^(j-1) e^(-2 j² λ²) = 0.53442.
        Assert.Equal(0.53442, p, 4);
    }

    [Fact]
    public void KolmogorovSmirnov_OfIdenticalSamples_IsZeroWithPValueOne()
    {
        var (d, p) = KolmogorovSmirnov.TwoSample([1, 2, 2, 3], [1, 2, 2, 3]);
        Assert.Equal(0, d);
        Assert.Equal(1, p);
    }

    [Fact]
    public void PopulationStability_OfAKnownSplit_MatchesTheHandComputedSum()
    {
        // Two quantile bins of the reference {1,2,3,4}: the median edge 2.5 gives e = (0.5, 0.5).
        // The actual {1,3,4,4} puts 1/4 below and 3/4 above: PSI = (0.25-0.5) ln(0.5) + (0.75-0.5) ln(1.5).
        var psi = PopulationStability.Index([1, 2, 3, 4], [1, 3, 4, 4], bins: 2);
        Assert.Equal((-0.25 * Math.Log(0.5)) + (0.25 * Math.Log(1.5)), psi, 12);
        Assert.Equal(0, PopulationStability.Index([1, 2, 3, 4], [1, 2, 3, 4], bins: 2), 12);
    }

    [Fact]
    public void AnovaF_OfThreeSmallGroups_MatchesTheTextbookComputation()
    {
        // Groups {1,2,3}, {4,5,6}, {7,8,9}: means 2,5,8, grand 5; SSB = 3(9+0+9) = 54 over 2 df = 27;
        // SSW = 3 × 2 = 6 over 6 df = 1; F = 27.
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        int[] groups = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        Assert.Equal(27, OneWayAnova.F(values, groups, 3), 12);
    }

    [Fact]
    public void Pearson_OfKnownSeries_MatchesTheHandComputedValue()
    {
        // x = 1..5, y = 2,4,5,4,5: Sxy = 6, Sxx = 10, Syy = 6; r = 6 / √60.
        Assert.Equal(6 / Math.Sqrt(60), Pearson.Correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 12);
        Assert.Equal(-1, Pearson.Correlation([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0, Pearson.Correlation([1, 1, 1], [1, 2, 3]));
    }

    [Fact]
    public void Entropy_OfAKnownHistogram_IsInBits()
    {
        // Probabilities 1/2, 1/4, 1/4: H = 0.5 + 0.5 + 0.5 = 1.5 bits; empty bins add nothing.
        Assert.Equal(1.5, ImageMeasurement.Entropy([2, 1, 1, 0]), 12);
        Assert.Equal(0, ImageMeasurement.Entropy([7, 0, 0]), 12);
    }

    [Fact]
    public void MutualInformation_OfALabelThatDeterminesTheBin_IsTheLabelEntropy()
    {
        // Values cleanly separate two equal classes: I = H(label) = 1 bit; shuffled association: 0.
        Assert.Equal(1, MutualInformation.Binned([1, 1, 1, 1, 9, 9, 9, 9], [0, 0, 0, 0, 1, 1, 1, 1], 2, bins: 2), 12);
        Assert.Equal(0, MutualInformation.Binned([1, 1, 9, 9, 1, 1, 9, 9], [0, 0, 0, 0, 1, 1, 1, 1], 2, bins: 2), 12);
    }

    [Fact]
    public void ChannelStatistics_OfTwoImages_IsOverAllPixelsNotPerImageMeans()
    {
        // Image A: 4 pixels of 0; image B: 1 pixel of 255. Per pixel in [0,1]: values {0,0,0,0,1}:
        // mean 0.2, variance 0.2 - 0.04 = 0.16, std 0.4. (A mean of image means would say 0.5.)
        var moments = new ChannelMoments(1);
        moments.AddPixels([0, 0, 0, 0]);
        moments.AddPixels([255]);
        var stats = moments.ToStatistics();
        Assert.Equal(0.2, stats.Mean[0], 12);
        Assert.Equal(0.4, stats.Std[0], 12);
        Assert.Equal(5, stats.PixelCount);
    }

    [Fact]
    public void Summary_Quartiles_InterpolateLikeNumPy()
    {
        var s = Summary.Of([1, 2, 3, 4]);
        Assert.Equal(1.75, s.Q1, 12);
        Assert.Equal(2.5, s.Median, 12);
        Assert.Equal(3.25, s.Q3, 12);
        Assert.Equal(Math.Sqrt(1.25), s.Std, 12);
    }
}
