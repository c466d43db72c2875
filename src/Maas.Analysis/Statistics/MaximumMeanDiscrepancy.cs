using System.Numerics.Tensors;

namespace Maas.Analysis.Statistics;

/// <summary>
/// The kernel two-sample test of Gretton et al. (2012): the squared maximum mean discrepancy between two sets of
/// vectors under a Gaussian (RBF) kernel, with a permutation p-value.
/// </summary>
public static class MaximumMeanDiscrepancy
{
    /// <summary>
    /// Tests <paramref name="a"/> against <paramref name="b"/>. The bandwidth σ is the median pairwise distance of
    /// the pooled vectors (the median heuristic), k(x, y) = exp(-‖x - y‖² / (2σ²)); MMD² is the unbiased estimate;
    /// the p-value is (1 + #permutations with MMD² ≥ observed) / (1 + <paramref name="permutations"/>), shuffling
    /// the pooled set with <paramref name="seed"/> so a report is reproducible.
    /// </summary>
    public static MmdResult Test(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b, int permutations, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2)
        {
            return new MmdResult(0, 1, 0, a.Count, b.Count, 0);
        }

        var pooled = a.Concat(b).ToArray();
        var n = pooled.Length;
        var squared = new double[n * n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = TensorPrimitives.Distance(pooled[i], pooled[j]);
                squared[(i * n) + j] = squared[(j * n) + i] = (double)d * d;
            }
        });

        var distances = new List<double>(n * (n - 1) / 2);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                distances.Add(Math.Sqrt(squared[(i * n) + j]));
            }
        }

        var sorted = distances.ToArray();
        Array.Sort(sorted);
        var sigma = Summary.Quantile(sorted, 0.5);
        if (sigma <= 0)
        {
            sigma = 1;
        }

        var kernel = new double[n * n];
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = Math.Exp(-squared[i] / (2 * sigma * sigma));
        }

        var order = Enumerable.Range(0, n).ToArray();
        var observed = Statistic(kernel, n, order, a.Count);
        var random = new Random(seed);
        var atLeast = 0;
        for (var p = 0; p < permutations; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            random.Shuffle(order);
            if (Statistic(kernel, n, order, a.Count) >= observed)
            {
                atLeast++;
            }
        }

        return new MmdResult(observed, (1.0 + atLeast) / (1.0 + permutations), sigma, a.Count, b.Count, permutations);
    }

    /// <summary>Unbiased MMD² with the first <paramref name="m"/> entries of <paramref name="order"/> as one sample.</summary>
    private static double Statistic(double[] kernel, int n, int[] order, int m)
    {
        var k = n - m;
        double xx = 0, yy = 0, xy = 0;
        for (var i = 0; i < n; i++)
        {
            var row = order[i] * n;
            for (var j = i + 1; j < n; j++)
            {
                var v = kernel[row + order[j]];
                if (i < m && j < m)
                {
                    xx += v;
                }
                else if (i >= m && j >= m)
                {
                    yy += v;
                }
                else
                {
                    xy += v;
                }
            }
        }

        return (2 * xx / (m * (m - 1.0))) + (2 * yy / (k * (k - 1.0))) - (2 * xy / ((double)m * k));
    }
}
