namespace Maas.Analysis.Statistics;

/// <summary>Equal-count bin edges taken from a reference sample, shared by PSI and binned mutual information.</summary>
public static class QuantileBins
{
    /// <summary>
    /// The distinct inner edges that cut <paramref name="reference"/> into <paramref name="bins"/> quantile bins: at
    /// most bins - 1 edges, fewer when values repeat. A value v falls into bin <see cref="Bin"/>(edges, v).
    /// </summary>
    public static double[] Edges(ReadOnlySpan<double> reference, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sorted = reference.ToArray();
        Array.Sort(sorted);
        var edges = new SortedSet<double>();
        for (var b = 1; b < bins; b++)
        {
            edges.Add(Summary.Quantile(sorted, (double)b / bins));
        }

        // An edge at or below the minimum would leave the first bin empty.
        return edges.Where(e => sorted.Length > 0 && e > sorted[0]).ToArray();
    }

    /// <summary>The bin of <paramref name="value"/>: how many of the ascending <paramref name="edges"/> are at or below it.</summary>
    public static int Bin(double[] edges, double value)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var index = Array.BinarySearch(edges, value);
        // Values equal to an edge go to the bin above it, as numpy.digitize(right=False) does.
        return index >= 0 ? index + 1 : ~index;
    }
}
