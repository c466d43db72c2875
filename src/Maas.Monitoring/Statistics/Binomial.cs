namespace Maas.Monitoring.Statistics;

/// <summary>The binomial distribution's upper tail.</summary>
public static class Binomial
{
    /// <summary>
    /// P(X ≥ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>) (SciPy's
    /// <c>binom.sf(k - 1, n, p)</c>), summing the probabilities exactly in log space.
    /// </summary>
    public static double UpperTail(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability lies in [0, 1].");
        }

        if (k <= 0)
        {
            return 1;
        }

        if (k > n || p == 0)
        {
            return 0;
        }

        if (p == 1)
        {
            return 1;
        }

        var logN = Gamma.LogGamma(n + 1);
        double sum = 0;
        for (var j = k; j <= n; j++)
        {
            sum += Math.Exp(logN - Gamma.LogGamma(j + 1) - Gamma.LogGamma(n - j + 1) + (j * Math.Log(p)) + ((n - j) * Math.Log(1 - p)));
        }

        return Math.Min(sum, 1);
    }
}
