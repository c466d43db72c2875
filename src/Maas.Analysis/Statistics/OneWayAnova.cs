namespace Maas.Analysis.Statistics;

/// <summary>One-way analysis of variance: how much of a property's spread lies between the classes.</summary>
public static class OneWayAnova
{
    /// <summary>
    /// The F statistic: between-group mean square (k - 1 degrees of freedom) over within-group mean square (n - k).
    /// Groups are given by <paramref name="groups"/>[i] in 0..<paramref name="groupCount"/>-1; empty groups are
    /// ignored. 0 when fewer than two groups have values or the within-group spread is zero with no between spread;
    /// positive infinity when only the within-group spread is zero.
    /// </summary>
    public static double F(ReadOnlySpan<double> values, ReadOnlySpan<int> groups, int groupCount)
    {
        if (values.Length != groups.Length)
        {
            throw new ArgumentException("Values and groups differ in length.", nameof(groups));
        }

        var sums = new double[groupCount];
        var counts = new int[groupCount];
        double total = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sums[groups[i]] += values[i];
            counts[groups[i]]++;
            total += values[i];
        }

        var k = counts.Count(c => c > 0);
        var n = values.Length;
        if (k < 2 || n <= k)
        {
            return 0;
        }

        var grand = total / n;
        double between = 0;
        for (var g = 0; g < groupCount; g++)
        {
            if (counts[g] > 0)
            {
                var mean = sums[g] / counts[g];
                between += counts[g] * (mean - grand) * (mean - grand);
            }
        }

        double within = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var d = values[i] - (sums[groups[i]] / counts[groups[i]]);
            within += d * d;
        }

        var msBetween = between / (k - 1);
        var msWithin = within / (n - k);
        return msWithin > 0 ? msBetween / msWithin : msBetween > 0 ? double.PositiveInfinity : 0;
    }
}
