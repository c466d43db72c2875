using System.Numerics.Tensors;

namespace Maas.Monitoring.Statistics;

/// <summary>
/// L2-regularized logistic regression on standardized features, fitted by full-batch gradient descent with a step
/// of 1/L (L the loss's smoothness bound from a power iteration), so it converges without tuning on any scale.
/// </summary>
/// <remarks>
/// Not the analysis's <c>SoftmaxRegression</c>: that one needs inputs scaled to unit length for its fixed step, which
/// would hide a drift in embedding magnitude (darker or blurrier images shrink the pooled features) from this test.
/// </remarks>
internal sealed class LogisticRegression
{
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _weights;
    private readonly double _bias;

    private LogisticRegression(double[] mean, double[] scale, double[] weights, double bias)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
        _bias = bias;
    }

    /// <summary>Fits the model to <paramref name="features"/> with classes <paramref name="positive"/>.</summary>
    public static LogisticRegression Fit(IReadOnlyList<float[]> features, IReadOnlyList<bool> positive, double l2, int iterations, CancellationToken cancellationToken)
    {
        var n = features.Count;
        var d = features[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        foreach (var x in features)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += x[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        foreach (var x in features)
        {
            for (var j = 0; j < d; j++)
            {
                scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }

        for (var j = 0; j < d; j++)
        {
            var std = Math.Sqrt(scale[j] / n);
            // A constant feature carries nothing; scale 1 keeps it at zero instead of dividing by zero.
            scale[j] = std > 1e-12 ? 1 / std : 1;
        }

        var z = new double[n][];
        for (var i = 0; i < n; i++)
        {
            z[i] = new double[d];
            for (var j = 0; j < d; j++)
            {
                z[i][j] = (features[i][j] - mean[j]) * scale[j];
            }
        }

        var step = 1 / ((0.25 * (LargestEigenvalue(z, d) + 1)) + l2);
        var w = new double[d];
        double b = 0;
        var gradient = new double[d];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(gradient);
            double gradientB = 0;
            for (var i = 0; i < n; i++)
            {
                var residual = Sigmoid(TensorPrimitives.Dot<double>(w, z[i]) + b) - (positive[i] ? 1 : 0);
                TensorPrimitives.MultiplyAdd(z[i], residual, gradient, gradient);
                gradientB += residual;
            }

            for (var j = 0; j < d; j++)
            {
                w[j] -= step * ((gradient[j] / n) + (l2 * w[j]));
            }

            b -= step * gradientB / n;
        }

        return new LogisticRegression(mean, scale, w, b);
    }

    /// <summary>The fitted log-odds of the positive class for <paramref name="x"/>.</summary>
    public double Score(float[] x)
    {
        var s = _bias;
        for (var j = 0; j < _weights.Length; j++)
        {
            s += _weights[j] * (x[j] - _mean[j]) * _scale[j];
        }

        return s;
    }

    private static double Sigmoid(double t) => 1 / (1 + Math.Exp(-t));

    /// <summary>The largest eigenvalue of Zᵀ Z / n by power iteration: the smoothness of the mean logistic loss is a quarter of it.</summary>
    private static double LargestEigenvalue(double[][] z, int d)
    {
        var v = Enumerable.Repeat(1 / Math.Sqrt(d), d).ToArray();
        var next = new double[d];
        double eigenvalue = 0;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            Array.Clear(next);
            foreach (var row in z)
            {
                TensorPrimitives.MultiplyAdd(row, TensorPrimitives.Dot<double>(row, v), next, next);
            }

            TensorPrimitives.Divide(next, z.Length, next);
            eigenvalue = TensorPrimitives.Norm<double>(next);
            if (eigenvalue <= 0)
            {
                return 0;
            }

            TensorPrimitives.Divide(next, eigenvalue, v);
        }

        return eigenvalue;
    }
}
