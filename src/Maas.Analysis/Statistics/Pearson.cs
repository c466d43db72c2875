namespace Maas.Analysis.Statistics;

/// <summary>Pearson's product-moment correlation.</summary>
public static class Pearson
{
    /// <summary>
    /// The correlation of <paramref name="x"/> and <paramref name="y"/>, in [-1, 1]; 0 when either is constant, where
    /// the coefficient is undefined and "no linear relation" is the useful reading for a report.
    /// </summary>
    public static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("The two series differ in length.", nameof(y));
        }

        if (x.Length < 2)
        {
            return 0;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx <= 0 || syy <= 0 ? 0 : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>The correlation matrix of the columns <paramref name="series"/>.</summary>
    public static double[][] Matrix(IReadOnlyList<double[]> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var matrix = new double[series.Count][];
        for (var i = 0; i < series.Count; i++)
        {
            matrix[i] = new double[series.Count];
            for (var j = 0; j < series.Count; j++)
            {
                matrix[i][j] = i == j ? 1 : j < i ? matrix[j][i] : Correlation(series[i], series[j]);
            }
        }

        return matrix;
    }
}
