using System.Numerics.Tensors;

namespace Maas.Analysis.LabelIssues;

/// <summary>
/// Multinomial logistic (softmax) regression with an L2 penalty, trained by full-batch gradient descent with
/// Nesterov momentum. Inputs are expected centred and scaled to unit length (see <see cref="Embeddings.FeatureScaling"/>), so
/// the loss's curvature is at most 1/2 + λ and a fixed step of 1 is stable without a line search.
/// </summary>
public sealed class SoftmaxRegression
{
    private const float Step = 1f;
    private const float Momentum = 0.9f;
    private readonly float[][] _weights;
    private readonly float[] _bias;

    private SoftmaxRegression(float[][] weights, float[] bias)
    {
        _weights = weights;
        _bias = bias;
    }

    /// <summary>Fits <paramref name="classes"/>-way weights to <paramref name="x"/> and <paramref name="labels"/>.</summary>
    public static SoftmaxRegression Train(IReadOnlyList<float[]> x, IReadOnlyList<int> labels, int classes, double l2, int iterations,
        int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        var d = x.Count > 0 ? x[0].Length : 0;
        var n = x.Count;
        var w = NewMatrix(classes, d);
        var b = new float[classes];
        var previousW = NewMatrix(classes, d);
        var previousB = new float[classes];
        var lookW = NewMatrix(classes, d);
        var lookB = new float[classes];
        var chunks = Math.Max(1, Math.Min(parallelism, (n + 255) / 256));
        var gradW = Enumerable.Range(0, chunks).Select(_ => NewMatrix(classes, d)).ToArray();
        var gradB = Enumerable.Range(0, chunks).Select(_ => new float[classes]).ToArray();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Nesterov: the gradient is taken at the look-ahead point w + μ(w − w_prev).
            for (var k = 0; k < classes; k++)
            {
                for (var j = 0; j < d; j++)
                {
                    lookW[k][j] = w[k][j] + (Momentum * (w[k][j] - previousW[k][j]));
                }

                lookB[k] = b[k] + (Momentum * (b[k] - previousB[k]));
            }

            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, chunk =>
            {
                var gw = gradW[chunk];
                var gb = gradB[chunk];
                foreach (var row in gw)
                {
                    Array.Clear(row);
                }

                Array.Clear(gb);
                Span<float> p = stackalloc float[classes];
                for (var i = chunk; i < n; i += chunks)
                {
                    Probabilities(lookW, lookB, x[i], p);
                    p[labels[i]] -= 1;
                    for (var k = 0; k < classes; k++)
                    {
                        TensorPrimitives.MultiplyAdd(x[i], p[k], gw[k], gw[k]);
                        gb[k] += p[k];
                    }
                }
            });

            for (var k = 0; k < classes; k++)
            {
                Array.Copy(w[k], previousW[k], d);
                for (var c = 1; c < chunks; c++)
                {
                    TensorPrimitives.Add(gradW[0][k], gradW[c][k], gradW[0][k]);
                    gradB[0][k] += gradB[c][k];
                }

                for (var j = 0; j < d; j++)
                {
                    var g = (gradW[0][k][j] / n) + ((float)l2 * lookW[k][j]);
                    w[k][j] = lookW[k][j] - (Step * g);
                }

                previousB[k] = b[k];
                b[k] = lookB[k] - (Step * gradB[0][k] / n);
            }
        }

        return new SoftmaxRegression(w, b);
    }

    /// <summary>The class probabilities of one input.</summary>
    public float[] Predict(float[] x)
    {
        var p = new float[_bias.Length];
        Probabilities(_weights, _bias, x, p);
        return p;
    }

    private static void Probabilities(float[][] w, float[] b, float[] x, Span<float> p)
    {
        for (var k = 0; k < b.Length; k++)
        {
            p[k] = TensorPrimitives.Dot(w[k], x) + b[k];
        }

        TensorPrimitives.SoftMax(p, p);
    }

    private static float[][] NewMatrix(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new float[columns]).ToArray();
}
