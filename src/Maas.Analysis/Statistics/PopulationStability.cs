namespace Maas.Analysis.Statistics;

/// <summary>The population stability index: how far one sample's distribution has moved from a reference's.</summary>
public static class PopulationStability
{
    /// <summary>
    /// Zero proportions are replaced by this before the logarithm; the value common in credit-risk practice, so a
    /// bin empty on one side adds a large but finite term.
    /// </summary>
    public const double Floor = 1e-4;

    /// <summary>
    /// PSI = Σ (a_i - e_i) ln(a_i / e_i) over <paramref name="bins"/> quantile bins of <paramref name="expected"/>
    /// (the reference, e.g. train), with a_i and e_i the fractions of <paramref name="actual"/> and
    /// <paramref name="expected"/> in bin i. Rules of thumb: below 0.1 stable, 0.1–0.25 moderate, above 0.25 shifted.
    /// </summary>
    public static double Index(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int bins = 10)
    {
        if (expected.IsEmpty || actual.IsEmpty)
        {
            return 0;
        }

        var edges = QuantileBins.Edges(expected, bins);
        var e = Fractions(expected, edges);
        var a = Fractions(actual, edges);
        double psi = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var ei = Math.Max(e[i], Floor);
            var ai = Math.Max(a[i], Floor);
            psi += (ai - ei) * Math.Log(ai / ei);
        }

        return psi;
    }

    private static double[] Fractions(ReadOnlySpan<double> values, double[] edges)
    {
        var fractions = new double[edges.Length + 1];
        foreach (var v in values)
        {
            fractions[QuantileBins.Bin(edges, v)]++;
        }

        for (var i = 0; i < fractions.Length; i++)
        {
            fractions[i] /= values.Length;
        }

        return fractions;
    }
}
