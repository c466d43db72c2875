namespace Maas.Monitoring.Statistics;

/// <summary>The chi-square distribution's tail and Pearson's chi-square test of homogeneity.</summary>
public static class ChiSquare
{
    /// <summary>P(X ≥ <paramref name="x"/>) for X ~ χ²(<paramref name="degreesOfFreedom"/>) = Q(k/2, x/2) (SciPy's <c>chi2.sf</c>).</summary>
    public static double Survival(double x, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        return x <= 0 ? 1 : Gamma.UpperRegularized(degreesOfFreedom / 2, x / 2);
    }

    /// <summary>
    /// Pearson's chi-square test that two rows of counts come from one categorical distribution (SciPy's
    /// <c>chi2_contingency(..., correction=False)</c> on a 2 × k table). Columns empty in both rows are dropped;
    /// the degrees of freedom are the remaining columns minus one.
    /// </summary>
    public static (double Statistic, double PValue, int DegreesOfFreedom) Homogeneity(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("The two rows need the same number of columns.", nameof(b));
        }

        double totalA = 0, totalB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            totalA += a[i];
            totalB += b[i];
        }

        var total = totalA + totalB;
        double statistic = 0;
        var columns = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var column = a[i] + b[i];
            if (column <= 0)
            {
                continue;
            }

            columns++;
            var expectedA = totalA * column / total;
            var expectedB = totalB * column / total;
            statistic += ((a[i] - expectedA) * (a[i] - expectedA) / expectedA) + ((b[i] - expectedB) * (b[i] - expectedB) / expectedB);
        }

        var df = columns - 1;
        return df < 1 ? (0, 1, 0) : (statistic, Survival(statistic, df), df);
    }
}
