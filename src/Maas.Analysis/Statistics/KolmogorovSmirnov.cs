namespace Maas.Analysis.Statistics;

/// <summary>The two-sample Kolmogorov–Smirnov test: do two samples come from one continuous distribution?</summary>
public static class KolmogorovSmirnov
{
    /// <summary>
    /// D = sup |F_a(x) - F_b(x)| over the two empirical distribution functions, and its asymptotic p-value
    /// Q_KS((√n_e + 0.12 + 0.11/√n_e) D) with n_e = n_a n_b / (n_a + n_b) (Stephens' small-sample correction, as in
    /// Numerical Recipes' <c>kstwo</c>); good from about n_e ≥ 4, which is all a dataset report needs.
    /// </summary>
    public static (double Statistic, double PValue) TwoSample(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return (0, 1);
        }

        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            // Step past every copy of the smaller value on both sides before comparing, so ties do not inflate D.
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v)
            {
                i++;
            }

            while (j < y.Length && y[j] == v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }

        var ne = (double)x.Length * y.Length / (x.Length + y.Length);
        var sqrtNe = Math.Sqrt(ne);
        return (d, Probability((sqrtNe + 0.12 + (0.11 / sqrtNe)) * d));
    }

    /// <summary>The Kolmogorov distribution's tail Q_KS(λ) = 2 Σ_{j≥1} (-1)^(j-1) exp(-2 j² λ²).</summary>
    public static double Probability(double lambda)
    {
        if (lambda < 1e-3)
        {
            return 1;
        }

        double sum = 0, sign = 1, previous = 0;
        for (var j = 1; j <= 100; j++)
        {
            var term = sign * 2 * Math.Exp(-2 * j * j * lambda * lambda);
            sum += term;
            if (Math.Abs(term) <= 1e-10 * Math.Abs(previous) || Math.Abs(term) <= 1e-12 * sum)
            {
                return Math.Clamp(sum, 0, 1);
            }

            sign = -sign;
            previous = term;
        }

        // The series did not converge: λ is tiny, and the distributions are indistinguishable.
        return 1;
    }
}
