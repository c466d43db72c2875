using Maas.Analysis.Statistics;
using Maas.Monitoring.Statistics;

namespace Maas.Monitoring.Tests;

/// <summary>
/// The statistics the detectors rest on, against SciPy: every expected number below is printed by
/// <c>reference/scipy_reference.py</c> (run with Debian's python3-scipy).
/// </summary>
public class StatisticsTests
{
    [Theory]
    [InlineData(0.5, 0.1, 0.6547208460185768)]
    [InlineData(0.5, 2.0, 0.04550026389635857)]
    [InlineData(1.0, 1.0, 0.36787944117144245)]
    [InlineData(2.5, 3.0, 0.30621891841327875)]
    [InlineData(5.0, 20.0, 1.694474393006737e-05)]
    [InlineData(10.0, 3.0, 0.9988975118698845)]
    [InlineData(50.0, 60.0, 0.08440668109369177)]
    [InlineData(100.0, 150.0, 5.924540335483916e-06)]
    [InlineData(3.0, 0.001, 0.9999999998334583)]
    public void Upper_regularized_gamma_matches_scipy_gammaincc(double a, double x, double expected) =>
        AssertRelative(expected, Gamma.UpperRegularized(a, x), 1e-10);

    [Theory]
    [InlineData(0.3, 1.0957979948180756)]
    [InlineData(1.0, 0.0)]
    [InlineData(2.5, 0.2846828704729192)]
    [InlineData(10.0, 12.801827480081469)]
    [InlineData(171.5, 709.1431630309283)]
    public void Log_gamma_matches_scipy_gammaln(double x, double expected) =>
        Assert.Equal(expected, Gamma.LogGamma(x), 1e-12);

    [Theory]
    [InlineData(3.841458820694124, 1, 0.04999999999999989)]
    [InlineData(10.0, 5, 0.07523524614651217)]
    [InlineData(30.0, 9, 0.00043872177097947936)]
    [InlineData(100.0, 50, 3.454931382984871e-05)]
    [InlineData(0.5, 3, 0.9188914116546758)]
    [InlineData(200.0, 99, 8.19391189142209e-09)]
    public void Chi_square_survival_matches_scipy_chi2_sf(double x, int df, double expected) =>
        AssertRelative(expected, ChiSquare.Survival(x, df), 1e-10);

    [Theory]
    [InlineData(-1.0, 0.8413447460685429)]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.025)]
    [InlineData(5.0, 2.866515718791933e-07)]
    public void Normal_survival_matches_scipy_norm_sf(double z, double expected) =>
        AssertRelative(expected, Normal.Survival(z), 1e-10);

    [Theory]
    [InlineData(0, 50, 0.01, 1.0)]
    [InlineData(1, 30, 0.01, 0.26029962661171957)]
    [InlineData(3, 100, 0.01, 0.07937320225218046)]
    [InlineData(10, 200, 0.01, 4.014180884713425e-05)]
    [InlineData(8, 400, 0.01, 0.05023741578202477)]
    public void Binomial_upper_tail_matches_scipy_binom_sf(int k, int n, double p, double expected) =>
        AssertRelative(expected, Binomial.UpperTail(k, n, p), 1e-9);

    [Theory]
    [InlineData(new double[] { 30, 20, 50 }, new double[] { 20, 25, 55 }, 2.7936507936507935, 0.24738105537725047, 2)]
    [InlineData(new double[] { 10, 0, 5, 7 }, new double[] { 3, 0, 9, 12 }, 6.152551395972449, 0.04613074193441624, 2)]
    [InlineData(new double[] { 100, 100 }, new double[] { 60, 140 }, 16.666666666666668, 4.455709060405612e-05, 1)]
    public void Chi_square_homogeneity_matches_scipy_chi2_contingency(double[] a, double[] b, double statistic, double pValue, int df)
    {
        var result = ChiSquare.Homogeneity(a, b);
        Assert.Equal(statistic, result.Statistic, 1e-10);
        AssertRelative(pValue, result.PValue, 1e-9);
        Assert.Equal(df, result.DegreesOfFreedom);
    }

    [Fact]
    public void Rank_auc_and_its_p_value_match_scipy_mannwhitneyu()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.5, 0.5, 0.05, 0.7, 0.3];
        bool[] positive = [false, false, true, true, false, false, true, true, false, false, true, true];
        var (auc, p) = RankAuc.Compute(scores, positive);
        Assert.Equal(0.75, auc, 1e-12);
        AssertRelative(0.07405789795881272, p, 1e-9);
    }

    [Theory]
    [InlineData(new float[] { 0.7f, 0.2f, 0.1f }, 2.0, 0.5228793830078696)]
    [InlineData(new float[] { 0.7f, 0.2f, 0.1f }, 0.5, 0.9074074074074073)]
    [InlineData(new float[] { 0.97f, 0.01f, 0.01f, 0.01f }, 1.5, 0.8755768892504646)]
    public void Temperature_scaled_confidence_matches_scipy_softmax_of_log_probabilities(float[] p, double t, double expected) =>
        Assert.Equal(expected, AccuracyEstimator.CalibratedConfidence(p, t), 1e-6);

    [Fact]
    public void The_reused_ks_statistic_matches_scipy_ks_2samp() =>
        Assert.Equal(0.5714285714285714, KolmogorovSmirnov.TwoSample([0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4], [0.6, 0.8, 1.1, 0.45, 0.95, 1.3]).Statistic, 1e-12);

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected) + 1e-300,
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
}
