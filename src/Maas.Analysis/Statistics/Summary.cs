namespace Maas.Analysis.Statistics;

/// <summary>Count, mean, standard deviation and quartiles of a set of values.</summary>
/// <param name="Count">How many values.</param>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="Std">The population standard deviation.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Q1">The first quartile (linear interpolation between order statistics, as NumPy's default).</param>
/// <param name="Median">The median.</param>
/// <param name="Q3">The third quartile.</param>
/// <param name="Max">The largest value.</param>
public sealed record Summary(int Count, double Mean, double Std, double Min, double Q1, double Median, double Q3, double Max)
{
    /// <summary>Summarizes <paramref name="values"/>; with none, every field is zero.</summary>
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
        }

        Array.Sort(sorted);
        var mean = sorted.Average();
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new Summary(sorted.Length, mean, Math.Sqrt(variance), sorted[0], Quantile(sorted, 0.25), Quantile(sorted, 0.5),
            Quantile(sorted, 0.75), sorted[^1]);
    }

    /// <summary>The <paramref name="q"/> quantile of ascending <paramref name="sorted"/> values, interpolated linearly.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
