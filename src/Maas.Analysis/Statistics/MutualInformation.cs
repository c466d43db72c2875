namespace Maas.Analysis.Statistics;

/// <summary>Mutual information between a continuous property, binned, and a discrete label.</summary>
public static class MutualInformation
{
    /// <summary>
    /// I(B; Y) in bits, where B is <paramref name="values"/> cut into <paramref name="bins"/> equal-count (quantile)
    /// bins and Y is <paramref name="labels"/> in 0..<paramref name="labelCount"/>-1. Quantile bins keep every bin
    /// populated whatever the property's scale; ties share a bin, so a constant property carries 0 bits.
    /// </summary>
    public static double Binned(ReadOnlySpan<double> values, ReadOnlySpan<int> labels, int labelCount, int bins = 10)
    {
        if (values.Length != labels.Length)
        {
            throw new ArgumentException("Values and labels differ in length.", nameof(labels));
        }

        if (values.Length == 0)
        {
            return 0;
        }

        var edges = QuantileBins.Edges(values, bins);
        var joint = new double[edges.Length + 1, labelCount];
        for (var i = 0; i < values.Length; i++)
        {
            joint[QuantileBins.Bin(edges, values[i]), labels[i]]++;
        }

        return Of(joint);
    }

    /// <summary>I(X; Y) in bits of a joint count table.</summary>
    public static double Of(double[,] joint)
    {
        ArgumentNullException.ThrowIfNull(joint);
        int rows = joint.GetLength(0), columns = joint.GetLength(1);
        var rowSums = new double[rows];
        var columnSums = new double[columns];
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                rowSums[r] += joint[r, c];
                columnSums[c] += joint[r, c];
                total += joint[r, c];
            }
        }

        double mi = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (joint[r, c] > 0)
                {
                    mi += joint[r, c] / total * Math.Log2(joint[r, c] * total / (rowSums[r] * columnSums[c]));
                }
            }
        }

        return Math.Max(0, mi);
    }
}
